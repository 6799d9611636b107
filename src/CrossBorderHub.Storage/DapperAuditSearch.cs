using CrossBorderHub.Core.Security;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>Searches hub_audit (written by <see cref="DapperUserStore"/>) over any <see cref="SqlDialect"/>; LIKE text is literal.</summary>
public sealed class DapperAuditSearch(SqlDialect dialect) : IAuditSearch
{
    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(query, paged: true);
        parameters.Add("Limit", Math.Clamp(query.Limit, 1, 10_000));
        parameters.Add("Offset", 0);
        var sql = "SELECT id, at, user_name, remote_address, action, detail FROM hub_audit" + where + " ORDER BY id DESC"
                  + dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal);
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditEvent(r.Id, Time.From(r.At), r.UserName, r.RemoteAddress, r.Action, r.Detail)).ToList();
    }

    public async Task<long> CountAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(query, paged: false);
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_audit" + where, parameters, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return (await connection.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT action FROM hub_audit ORDER BY action", cancellationToken: cancellationToken))).ToList();
    }

    private static (string Sql, DynamicParameters Parameters) Where(AuditQuery query, bool paged)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (!string.IsNullOrEmpty(query.User))
        {
            where.Add("user_name = @User");
            parameters.Add("User", query.User);
        }
        if (!string.IsNullOrEmpty(query.Action))
        {
            where.Add("action = @Action");
            parameters.Add("Action", query.Action);
        }
        if (!string.IsNullOrEmpty(query.Text))
        {
            where.Add("(detail LIKE @Text ESCAPE '\\' OR remote_address LIKE @Text ESCAPE '\\' OR user_name LIKE @Text ESCAPE '\\')");
            parameters.Add("Text", "%" + DapperMessageQueries.EscapeLike(query.Text) + "%");
        }
        if (query.From is { } from)
        {
            where.Add("at >= @From");
            parameters.Add("From", Time.To(from));
        }
        if (query.To is { } to)
        {
            where.Add("at < @To");
            parameters.Add("To", Time.To(to));
        }
        if (paged && query.Before is { } before)
        {
            where.Add("id < @Before");
            parameters.Add("Before", before);
        }
        return (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "", parameters);
    }
}
