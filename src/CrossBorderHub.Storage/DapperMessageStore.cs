using System.Data;
using System.Data.Common;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// The pipeline's message store over any <see cref="SqlDialect"/>: every status change commits with its event row.
/// The reads people make are <see cref="DapperMessageQueries"/>, over the same dialect.
/// </summary>
public sealed class DapperMessageStore : IMessageStore
{
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;

    public DapperMessageStore(SqlDialect dialect, TimeProvider time)
    {
        _dialect = dialect;
        _time = time;
    }

    internal SqlDialect Dialect => _dialect;

    public Task<MessageRecord> RecordReceivedAsync(NewMessage message, DateTimeOffset duplicateSince, CancellationToken cancellationToken) =>
        SerializationRetry.RunAsync(() => RecordReceivedOnceAsync(message, duplicateSince, cancellationToken), cancellationToken);

    private async Task<MessageRecord> RecordReceivedOnceAsync(NewMessage message, DateTimeOffset duplicateSince, CancellationToken cancellationToken)
    {
        await using var connection = _dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        await InsertReceivedAsync(connection, transaction, message, duplicateSince, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(message.Id, cancellationToken))!;
    }

    // One durable commit for the whole batch: the intake removes the sources only after it returns. Retried as a whole
    // on a serialization conflict, like a single intake: instances sharing one folder take batches at the same time.
    public Task<IReadOnlyList<MessageStatus>> RecordReceivedManyAsync(IReadOnlyList<NewMessage> messages, DateTimeOffset duplicateSince, CancellationToken cancellationToken) =>
        SerializationRetry.RunAsync(() => RecordReceivedManyOnceAsync(messages, duplicateSince, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<MessageStatus>> RecordReceivedManyOnceAsync(IReadOnlyList<NewMessage> messages, DateTimeOffset duplicateSince, CancellationToken cancellationToken)
    {
        await using var connection = _dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var statuses = new List<MessageStatus>(messages.Count);
        foreach (var message in messages)
        {
            statuses.Add(await InsertReceivedAsync(connection, transaction, message, duplicateSince, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return statuses;
    }

    private async Task<MessageStatus> InsertReceivedAsync(DbConnection connection, DbTransaction transaction, NewMessage message, DateTimeOffset duplicateSince,
        CancellationToken cancellationToken)
    {
        var earlier = message.Outgoing ? null : await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM hub_messages WHERE source_partner = @SourcePartner AND source_channel = @SourceChannel AND blob_hash = @BlobHash " +
            "AND status <> 'Duplicate' AND received_at >= @Since ORDER BY received_at" + _dialect.FirstRow,
            new { message.SourcePartner, message.SourceChannel, message.BlobHash, Since = Time.To(duplicateSince) },
            transaction, cancellationToken: cancellationToken));
        var status = message.Outgoing ? MessageStatus.Routed : earlier is null ? MessageStatus.Received : MessageStatus.Duplicate;
        var reason = earlier is null ? null : $"same content as message {earlier} from the same channel: not processed again";
        var now = Time.To(message.ReceivedAt);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hub_messages (id, received_at, source_partner, source_channel, remote_name, blob_hash, length, status, format,
                                      is_test, related_message_id, reason, updated_at)
            VALUES (@Id, @ReceivedAt, @SourcePartner, @SourceChannel, @RemoteName, @BlobHash, @Length, @Status, 'Unknown', 0, @Related, @Reason, @ReceivedAt)
            """,
            new
            {
                message.Id, ReceivedAt = now, message.SourcePartner, message.SourceChannel, message.RemoteName, message.BlobHash,
                message.Length, Status = status.ToString(), Related = message.RelatedMessageId ?? earlier, Reason = reason,
            },
            transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(connection, transaction, message.Id, now, status switch { MessageStatus.Received => "received", MessageStatus.Routed => "created", _ => "duplicate" },
            reason ?? $"{message.Length} bytes from {message.SourcePartner}/{message.SourceChannel} '{message.RemoteName}', sha256 {message.BlobHash}", cancellationToken);
        return status;
    }

    public async Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var work = await Work.ReadAsync(_dialect, cancellationToken);
        var row = await work.Connection.QueryFirstOrDefaultAsync<MessageRow>(new CommandDefinition(
            "SELECT * FROM hub_messages WHERE id = @Id", new { Id = id }, work.Transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyDictionary<string, MessageRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, MessageRecord>(StringComparer.Ordinal);
        await using var work = await Work.ReadAsync(_dialect, cancellationToken);
        // In slices: SQL Server takes at most 2,100 parameters, SQLite 32,766.
        foreach (var slice in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var rows = await work.Connection.QueryAsync<MessageRow>(new CommandDefinition(
                "SELECT * FROM hub_messages WHERE " + _dialect.InList("id", "Ids"), new { Ids = slice }, work.Transaction, cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                found[row.Id] = row.ToRecord();
            }
        }
        return found;
    }

    public async Task SetIdentityAsync(string id, DocumentIdentity identity, CancellationToken cancellationToken)
    {
        await using var work = await Work.ReadAsync(_dialect, cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE hub_messages SET format = @Format, document_type = @DocumentType, sender = @Sender, recipient = @Recipient,
                   control_reference = @ControlReference, is_test = @IsTest WHERE id = @Id
            """,
            new
            {
                Id = id, Format = identity.Format.ToString(), DocumentType = NullIfEmpty(identity.DocumentType), identity.Sender,
                identity.Recipient, identity.ControlReference, IsTest = identity.IsTest ? 1 : 0,
            },
            work.Transaction, cancellationToken: cancellationToken));
    }

    public async Task TransitionAsync(string id, MessageStatus status, string eventKind, string detail, string? reason, CancellationToken cancellationToken)
    {
        var now = Time.To(_time.GetUtcNow());
        await using var work = await Work.WriteAsync(_dialect, cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_messages SET status = @Status, reason = @Reason, updated_at = @Now, lease_owner = NULL, lease_until = NULL WHERE id = @Id",
            new { Id = id, Status = status.ToString(), Reason = reason, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(work.Connection, work.Transaction, id, now, eventKind, detail, cancellationToken);
        await DocumentStates.FollowAsync(work.Connection, work.Transaction, id, status, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
    }

    public async Task AddEventAsync(string id, string eventKind, string detail, CancellationToken cancellationToken)
    {
        await using var work = await Work.ReadAsync(_dialect, cancellationToken);
        await InsertEventAsync(work.Connection, work.Transaction, id, Time.To(_time.GetUtcNow()), eventKind, detail, cancellationToken);
    }

    public async Task<string?> FindInterchangeAsync(string sender, string controlReference, DateTimeOffset since, string exceptId, CancellationToken cancellationToken)
    {
        // Through the batch: an interchange sent twice within one batch is found as its own duplicate.
        await using var work = await Work.ReadAsync(_dialect, cancellationToken);
        return await work.Connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM hub_messages WHERE sender = @Sender AND control_reference = @Reference AND id <> @Except " +
            "AND status NOT IN ('Duplicate', 'Received') AND received_at >= @Since ORDER BY received_at" + _dialect.FirstRow,
            new { Sender = sender, Reference = controlReference, Except = exceptId, Since = Time.To(since) },
            work.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<MessageRecord>> ClaimReceivedAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = _dialect.CreateDeferredConnection();
        var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(
            _dialect.ClaimMessagesSql,
            new { Owner = owner, Now = Time.To(now), Until = Time.To(now + lease), Max = max },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public async Task ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = _dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_messages SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner; " +
            "UPDATE hub_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner",
            new { Owner = owner }, cancellationToken: cancellationToken));
    }

    public async Task ReleaseMessageLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = _dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_messages SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND status = 'Received'",
            new { Owner = owner }, cancellationToken: cancellationToken));
    }

    internal static Task InsertEventAsync(DbConnection connection, DbTransaction? transaction, string messageId, long at, string kind, string detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(SqlDialect.InsertEvent,
            new { MessageId = messageId, At = at, Kind = kind, Detail = detail }, transaction, cancellationToken: cancellationToken));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
