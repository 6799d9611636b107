using System.Data.Common;
using CrossBorderHub.Core.Alerts;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The alert state over any <see cref="SqlDialect"/>; every change is one conditional statement, so two instances never both win.</summary>
public sealed class DapperAlertStore(SqlDialect dialect) : IAlertStore
{
    private const string Columns = "alert_key, rule_name, summary, detail, raised_at, cleared_at";

    public async Task<IReadOnlyList<AlertRecord>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"SELECT {Columns} FROM hub_alerts WHERE cleared_at IS NULL ORDER BY raised_at DESC, alert_key", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<AlertRecord>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        // Open ones first (cleared_at NULL sorts as 0), then the latest cleared.
        var sql = $"SELECT {Columns} FROM hub_alerts ORDER BY CASE WHEN cleared_at IS NULL THEN 0 ELSE 1 END, COALESCE(cleared_at, raised_at) DESC, alert_key"
                  + dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(sql, new { Limit = limit, Offset = 0 }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> RaiseAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        var values = new { alert.Key, alert.Rule, alert.Summary, alert.Detail, At = Time.To(alert.RaisedAt) };
        await using var connection = dialect.CreateConnection();
        // Raised before and cleared since: reopen the row (only one caller sees 1 row changed).
        var reopened = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_alerts SET rule_name = @Rule, summary = @Summary, detail = @Detail, raised_at = @At, cleared_at = NULL WHERE alert_key = @Key AND cleared_at IS NOT NULL",
            values, cancellationToken: cancellationToken));
        if (reopened == 1)
        {
            return true;
        }
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_alerts (alert_key, rule_name, summary, detail, raised_at, cleared_at) VALUES (@Key, @Rule, @Summary, @Detail, @At, NULL)",
                values, cancellationToken: cancellationToken)) == 1;
        }
        catch (DbException)
        {
            // The key is open already (here or raised by another instance a moment ago): not ours to notify.
            if (await ExistsAsync(connection, alert.Key, cancellationToken))
            {
                return false;
            }
            throw;
        }
    }

    public async Task<bool> ClearAsync(string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_alerts SET cleared_at = @At WHERE alert_key = @Key AND cleared_at IS NULL", new { Key = key, At = Time.To(at) }, cancellationToken: cancellationToken)) == 1;
    }

    private static async Task<bool> ExistsAsync(DbConnection connection, string key, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_alerts WHERE alert_key = @Key", new { Key = key }, cancellationToken: cancellationToken)) > 0;

    private sealed class AlertRow
    {
        public string AlertKey { get; set; } = "";
        public string RuleName { get; set; } = "";
        public string Summary { get; set; } = "";
        public string Detail { get; set; } = "";
        public long RaisedAt { get; set; }
        public long? ClearedAt { get; set; }

        public AlertRecord ToRecord() => new(AlertKey, RuleName, Summary, Detail, Time.From(RaisedAt), ClearedAt is { } cleared ? Time.From(cleared) : null);
    }
}
