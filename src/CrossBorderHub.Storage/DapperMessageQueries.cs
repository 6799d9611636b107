using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// The reads of the admin web, its API and `hub messages`, over the same <see cref="SqlDialect"/> as
/// <see cref="DapperMessageStore"/>: a separate class so that nothing here can change a message.
/// </summary>
public sealed class DapperMessageQueries(SqlDialect dialect) : IMessageQueries
{
    public Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken) => GetAsync(dialect, id, cancellationToken);

    /// <summary>Shared with <see cref="DapperMessageStore.GetAsync"/>: the pipeline reads one message the same way.</summary>
    internal static async Task<MessageRecord?> GetAsync(SqlDialect dialect, string id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var row = await connection.QueryFirstOrDefaultAsync<MessageRow>(new CommandDefinition(
            "SELECT * FROM hub_messages WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<MessageRecord>> FindAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(query, paged: true);
        parameters.Add("Limit", Math.Clamp(query.Limit, 1, 10_000));
        parameters.Add("Offset", Math.Max(0, query.Offset));
        var sql = "SELECT * FROM (SELECT * FROM hub_messages" + where + ") m ORDER BY received_at DESC, id DESC";
        // SQL Server's OFFSET needs the ORDER BY of the query itself, so it gets its own page clause after the order.
        sql += dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal);
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<long> CountAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(query, paged: false);
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_messages" + where, parameters, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<MessageRecord>> GetRelatedAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(
            "SELECT * FROM hub_messages WHERE related_message_id = @Id ORDER BY received_at, id", new { Id = id }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>The WHERE clause of a search; the keyset cursor only when <paramref name="paged"/> (a total counts every page).</summary>
    private static (string Sql, DynamicParameters Parameters) Where(MessageQuery query, bool paged)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.Status is { } status)
        {
            where.Add("status = @Status");
            parameters.Add("Status", status.ToString());
        }
        if (!string.IsNullOrEmpty(query.Partner))
        {
            where.Add("(source_partner = @Partner OR id IN (SELECT message_id FROM hub_deliveries WHERE partner = @Partner))");
            parameters.Add("Partner", query.Partner);
        }
        if (!string.IsNullOrEmpty(query.DocumentType))
        {
            where.Add("document_type = @DocumentType");
            parameters.Add("DocumentType", query.DocumentType);
        }
        if (query.Direction is { } direction)
        {
            // The hub's own replies are recorded with the source partner "HUB" (ApplicationAcknowledgements, the outbox).
            where.Add(direction == MessageDirection.Outbound ? "source_partner = 'HUB'" : "source_partner <> 'HUB'");
        }
        if (!string.IsNullOrEmpty(query.Text))
        {
            // The search text is literal: '%', '_' (and '[' on SQL Server) would otherwise be wildcards. Same escape everywhere.
            where.Add("(" + string.Join(" OR ", SearchedColumns.Select(c => $"{c} LIKE @Text ESCAPE '\\'")) + ")");
            parameters.Add("Text", "%" + EscapeLike(query.Text) + "%");
        }
        if (query.From is { } from)
        {
            where.Add("received_at >= @From");
            parameters.Add("From", Time.To(from));
        }
        if (query.To is { } to)
        {
            where.Add("received_at < @To");
            parameters.Add("To", Time.To(to));
        }
        if (paged && query.Before is { } before)
        {
            where.Add("(received_at < @BeforeAt OR (received_at = @BeforeAt AND id < @BeforeId))");
            parameters.Add("BeforeAt", Time.To(before.ReceivedAt));
            parameters.Add("BeforeId", before.Id);
        }
        return (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "", parameters);
    }

    public async Task<IReadOnlyList<MessageEvent>> GetEventsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT * FROM hub_events WHERE message_id = @Id ORDER BY id", new { Id = id }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            "SELECT * FROM hub_deliveries WHERE message_id = @Id ORDER BY id", new { Id = messageId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyDictionary<MessageStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM hub_messages GROUP BY status", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => Enum.Parse<MessageStatus>(r.Status), r => r.Count);
    }

    private static readonly string[] SearchedColumns = ["id", "remote_name", "control_reference", "sender", "recipient", "reason"];

    /// <summary>Makes text match literally inside a LIKE pattern with ESCAPE '\' in SQLite, PostgreSQL and SQL Server.</summary>
    internal static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[");
}
