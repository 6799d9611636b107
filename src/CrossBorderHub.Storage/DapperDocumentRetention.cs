using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>What one purge removed: messages (with their events, deliveries, documents and keys) and payload blobs.</summary>
public sealed record RetentionPurge(int Messages, int Documents, int Blobs, IReadOnlyDictionary<string, int> DocumentsByType, IReadOnlyList<string> Numbers);

/// <summary>
/// Retention per document type: a message whose documents are all older than their type's retention period is
/// deleted with its events, deliveries, documents and duplicate keys, and its payload blobs (received and mapped)
/// when no remaining row refers to them. Never a message still in flight (Received, Routed, a Pending delivery) or
/// one with a document PendingDelivery; never a message with a document of a type without retention. The
/// statistics rollup keeps its counts: supervision aggregates outlive the documents.
/// </summary>
public sealed class DapperDocumentRetention(SqlDialect dialect, IBlobStore blobs)
{
    /// <param name="retention">Type (whole "CUSDEC/929", message type "CUSDEC", or "*" for every other type) -> period.</param>
    public async Task<RetentionPurge> PurgeAsync(IReadOnlyDictionary<string, TimeSpan> retention, DateTimeOffset now, int maxMessages, CancellationToken cancellationToken)
    {
        if (retention.Count == 0)
        {
            return new RetentionPurge(0, 0, 0, new Dictionary<string, int>(), []);
        }
        // Candidates: messages with a document older than the shortest period; each is then judged on all its documents.
        var cutoff = Time.To(now - retention.Values.Min());
        await using var connection = dialect.CreateConnection();
        var candidates = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT message_id FROM hub_documents WHERE received_at < @Cutoff", new { Cutoff = cutoff }, cancellationToken: cancellationToken))).Take(maxMessages).ToList();
        var (messages, documents, blobCount) = (0, 0, 0);
        var byType = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbers = new List<string>();
        foreach (var messageId in candidates)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = (await connection.QueryAsync<(string Type, string Number, string State, long ReceivedAt)>(new CommandDefinition(
                "SELECT document_type, document_number, state, received_at FROM hub_documents WHERE message_id = @Id", new { Id = messageId }, transaction, cancellationToken: cancellationToken))).ToList();
            var expired = rows.Count > 0 && rows.All(r => PeriodOf(retention, r.Type) is { } period && r.ReceivedAt < Time.To(now - period) && r.State is not ("PendingDelivery" or "Received"));
            var inFlight = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM hub_messages WHERE id = @Id AND status IN ('Received', 'Routed')", new { Id = messageId }, transaction, cancellationToken: cancellationToken))
                + await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM hub_deliveries WHERE message_id = @Id AND state = 'Pending'", new { Id = messageId }, transaction, cancellationToken: cancellationToken));
            if (!expired || inFlight > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }
            var hashes = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT blob_hash FROM hub_messages WHERE id = @Id UNION SELECT blob_hash FROM hub_deliveries WHERE message_id = @Id", new { Id = messageId }, transaction, cancellationToken: cancellationToken))).ToList();
            var p = new { Id = messageId };
            foreach (var sql in new[]
            {
                "DELETE FROM hub_document_keys WHERE document_id IN (SELECT id FROM hub_documents WHERE message_id = @Id)",
                "DELETE FROM hub_documents WHERE message_id = @Id",
                "DELETE FROM hub_events WHERE message_id = @Id",
                "DELETE FROM hub_deliveries WHERE message_id = @Id",
                "DELETE FROM hub_messages WHERE id = @Id",
            })
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, p, transaction, cancellationToken: cancellationToken));
            }
            // Content-addressed: the same bytes may belong to a message that stays.
            var unused = new List<string>();
            foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
            {
                var users = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT (SELECT COUNT(*) FROM hub_messages WHERE blob_hash = @Hash) + (SELECT COUNT(*) FROM hub_deliveries WHERE blob_hash = @Hash)", new { Hash = hash }, transaction, cancellationToken: cancellationToken));
                if (users == 0)
                {
                    unused.Add(hash);
                }
            }
            await transaction.CommitAsync(cancellationToken);
            // After the commit: a crash in between leaves an orphan file, never a row pointing at a missing blob.
            blobCount += unused.Count(blobs.Delete);
            messages++;
            documents += rows.Count;
            foreach (var row in rows)
            {
                byType[row.Type] = byType.GetValueOrDefault(row.Type) + 1;
                if (numbers.Count < 20 && row.Number.Length > 0)
                {
                    numbers.Add(row.Number);
                }
            }
        }
        return new RetentionPurge(messages, documents, blobCount, byType, numbers);
    }

    /// <summary>The whole type's period, else its message type's ("CUSDEC" for "CUSDEC/929"), else "*"; null: kept forever.</summary>
    public static TimeSpan? PeriodOf(IReadOnlyDictionary<string, TimeSpan> retention, string type)
    {
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return retention.TryGetValue(type, out var whole) ? whole
            : slash > 0 && retention.TryGetValue(type[..slash], out var message) ? message
            : retention.TryGetValue("*", out var any) ? any : null;
    }
}
