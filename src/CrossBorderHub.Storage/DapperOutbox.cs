using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The outbox over any <see cref="SqlDialect"/>; see <see cref="IOutbox"/> for the guarantees.</summary>
public sealed class DapperOutbox(SqlDialect dialect) : IOutbox
{
    public async Task EnqueueAsync(string messageId, IReadOnlyList<DeliveryRequest> deliveries, string detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var work = await Work.WriteAsync(dialect, cancellationToken);
        var (connection, transaction) = (work.Connection, work.Transaction);
        // First, and only if no other instance finished the message meanwhile: a processor whose lease ran out mid-step
        // (another instance took the message over and delivered it) must not set it back to Routed, where nothing would
        // ever move it on. Then it writes nothing at all.
        var routed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_messages SET status = 'Routed', reason = NULL, updated_at = @Now, lease_owner = NULL, lease_until = NULL " +
            "WHERE id = @Id AND status NOT IN ('Delivered', 'Acknowledged', 'DeadLettered')",
            new { Id = messageId, Now = Time.To(now) }, transaction, cancellationToken: cancellationToken));
        if (routed == 0)
        {
            return;
        }
        foreach (var delivery in deliveries)
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.InsertDeliveryIfAbsentSql,
                new { MessageId = messageId, delivery.Partner, delivery.FileName, delivery.BlobHash, delivery.Length, delivery.Route, Now = Time.To(now) },
                transaction, cancellationToken: cancellationToken));
        }
        await DapperMessageStore.InsertEventAsync(connection, transaction, messageId, Time.To(now), "routed", detail, cancellationToken);
        await DocumentStates.FollowAsync(connection, transaction, messageId, MessageStatus.Routed, Time.To(now), cancellationToken);
        await work.CommitAsync(cancellationToken);
    }

    public async Task<(string ReplyId, bool Created)> EnqueueReplyAsync(NewMessage reply, DocumentIdentity identity, Func<string, DeliveryRequest> delivery,
        string detail, CancellationToken cancellationToken, string originalEventKind = "acknowledgement-sent")
    {
        var original = reply.RelatedMessageId ?? throw new ArgumentException("a reply names the message it answers", nameof(reply));
        // Serializable: two instances re-running the same original cannot both see "no reply yet" and both insert.
        // (Inside a pipeline batch, on SQLite, every transaction is serializable.)
        await using var work = await Work.WriteAsync(dialect, cancellationToken, System.Data.IsolationLevel.Serializable);
        var (connection, transaction) = (work.Connection, work.Transaction);
        var existing = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM hub_messages WHERE related_message_id = @Original AND source_partner = @SourcePartner AND source_channel = @Kind",
            new { Original = original, reply.SourcePartner, Kind = reply.SourceChannel }, transaction, cancellationToken: cancellationToken));
        if (existing is not null)
        {
            await work.CommitAsync(cancellationToken);
            return (existing, false);
        }
        var now = Time.To(reply.ReceivedAt);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hub_messages (id, received_at, source_partner, source_channel, remote_name, blob_hash, length, status, format,
                                      document_type, sender, recipient, control_reference, is_test, related_message_id, updated_at)
            VALUES (@Id, @Now, @SourcePartner, @SourceChannel, @RemoteName, @BlobHash, @Length, 'Routed', @Format, @DocumentType, @Sender, @Recipient,
                    @ControlReference, @IsTest, @Original, @Now)
            """,
            new
            {
                reply.Id, Now = now, reply.SourcePartner, reply.SourceChannel, reply.RemoteName, reply.BlobHash, reply.Length,
                Format = identity.Format.ToString(), identity.DocumentType, identity.Sender, identity.Recipient, identity.ControlReference,
                IsTest = identity.IsTest ? 1 : 0, Original = original,
            },
            transaction, cancellationToken: cancellationToken));
        await DapperMessageStore.InsertEventAsync(connection, transaction, reply.Id, now, "created",
            $"{reply.Length} bytes, sha256 {reply.BlobHash}, answering {original}", cancellationToken);
        var request = delivery(reply.Id);
        await connection.ExecuteAsync(new CommandDefinition(dialect.InsertDeliveryIfAbsentSql,
            new { MessageId = reply.Id, request.Partner, request.FileName, request.BlobHash, request.Length, request.Route, Now = now },
            transaction, cancellationToken: cancellationToken));
        await DapperMessageStore.InsertEventAsync(connection, transaction, reply.Id, now, "routed", $"{reply.SourceChannel} to {request.Partner}", cancellationToken);
        await DapperMessageStore.InsertEventAsync(connection, transaction, original, now, originalEventKind, detail.Replace("{id}", reply.Id, StringComparison.Ordinal), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return (reply.Id, true);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(dialect.ClaimDeliveriesSql,
            new { Owner = owner, Now = Time.To(now), Until = Time.To(now + lease), Max = max }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).ToList();
    }

    public async Task ReleaseDeliveryLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND state = 'Pending'",
            new { Owner = owner }, cancellationToken: cancellationToken));
    }

    public async Task RecordAttemptAsync(DeliveryRecord delivery, AttemptResult result, CancellationToken cancellationToken)
    {
        var state = result.Delivered ? DeliveryState.Delivered : result.Final ? DeliveryState.Failed : DeliveryState.Pending;
        var at = Time.To(result.At);
        await using var work = await Work.WriteAsync(dialect, cancellationToken);
        var (connection, transaction) = (work.Connection, work.Transaction);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE hub_deliveries SET state = @State, attempts = attempts + 1, next_attempt_at = @Next, last_error = @Error,
                   lease_owner = NULL, lease_until = NULL WHERE id = @Id
            """,
            new
            {
                delivery.Id, State = state.ToString(), Next = Time.To(result.NextAttemptAt ?? result.At),
                Error = result.Delivered ? null : result.Detail,
            },
            transaction, cancellationToken: cancellationToken));
        var attempt = delivery.Attempts + 1;
        var kind = result.Delivered ? "delivered" : result.Final ? "delivery-failed" : "delivery-retry";
        var attemptDetail = $"to {delivery.Partner} as '{delivery.FileName}' (attempt {attempt}): {result.Detail}";

        // The message's own status follows its deliveries: all delivered -> Delivered; one failed for good -> DeadLettered.
        var states = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT state FROM hub_deliveries WHERE message_id = @Id", new { Id = delivery.MessageId }, transaction, cancellationToken: cancellationToken))).ToList();
        MessageStatus? next = states.Contains(nameof(DeliveryState.Failed)) ? MessageStatus.DeadLettered
            : states.All(s => s == nameof(DeliveryState.Delivered)) ? MessageStatus.Delivered
            : null;
        var changed = 0;
        string? reason = null;
        if (next is { } status)
        {
            reason = status == MessageStatus.DeadLettered ? $"delivery to {delivery.Partner} failed for good: {result.Detail}" : null;
            // Acknowledged is a later state than Delivered: an acknowledgement that overtook the last attempt's record stays.
            changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_messages SET status = @Status, reason = @Reason, updated_at = @Now WHERE id = @Id AND status IN ('Routed', 'Delivered', 'DeadLettered') AND status <> @Status",
                new { Id = delivery.MessageId, Status = status.ToString(), Reason = reason, Now = at }, transaction, cancellationToken: cancellationToken));
        }
        if (changed == 0)
        {
            await DapperMessageStore.InsertEventAsync(connection, transaction, delivery.MessageId, at, kind, attemptDetail, cancellationToken);
        }
        else
        {
            // The attempt's event and the status change's, in that order, in one statement.
            var delivered = next == MessageStatus.Delivered;
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_events (message_id, at, kind, detail) VALUES (@MessageId, @At, @Kind, @Detail), (@MessageId, @At, @StatusKind, @StatusDetail)",
                new
                {
                    delivery.MessageId, At = at, Kind = kind, Detail = attemptDetail, StatusKind = delivered ? "status-delivered" : "dead-lettered",
                    StatusDetail = delivered ? $"all {states.Count} deliveries done" : reason!,
                },
                transaction, cancellationToken: cancellationToken));
            await DocumentStates.FollowAsync(connection, transaction, delivery.MessageId, next!.Value, at, cancellationToken);
            await FollowSplitPartsAsync(connection, transaction, delivery.MessageId, at, cancellationToken);
        }
        await work.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A split part (source channel split:...) changed status: its original, which has no delivery of its own,
    /// becomes Delivered when every part is delivered (or acknowledged), DeadLettered when one part is.
    /// </summary>
    private static async Task FollowSplitPartsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        string partId, long at, CancellationToken cancellationToken)
    {
        var original = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT related_message_id FROM hub_messages WHERE id = @Id AND source_channel LIKE 'split:%'",
            new { Id = partId }, transaction, cancellationToken: cancellationToken));
        if (original is null)
        {
            return;
        }
        var parts = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT status FROM hub_messages WHERE related_message_id = @Original AND source_channel LIKE 'split:%'",
            new { Original = original }, transaction, cancellationToken: cancellationToken))).ToList();
        var failed = parts.Contains(nameof(MessageStatus.DeadLettered));
        if (!failed && !parts.All(s => s is nameof(MessageStatus.Delivered) or nameof(MessageStatus.Acknowledged)))
        {
            return;
        }
        var status = failed ? MessageStatus.DeadLettered : MessageStatus.Delivered;
        var detail = failed ? "a split part failed for good: see the parts (messages related to this one)" : $"all {parts.Count} split interchanges delivered";
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_messages SET status = @Status, reason = @Reason, updated_at = @Now WHERE id = @Id AND status IN ('Routed', 'Delivered', 'DeadLettered') AND status <> @Status",
            new { Id = original, Status = status.ToString(), Reason = failed ? detail : null, Now = at }, transaction, cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await DapperMessageStore.InsertEventAsync(connection, transaction, original, at, failed ? "dead-lettered" : "status-delivered", detail, cancellationToken);
            await DocumentStates.FollowAsync(connection, transaction, original, status, at, cancellationToken);
        }
    }

    public async Task<(int Replies, int Messages)> RecoverUndeliveredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = Time.To(now);
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var stranded = (await connection.QueryAsync<(string Id, string SourcePartner, string RemoteName, string BlobHash, long Length, string? AnsweredPartner)>(
            new CommandDefinition(
                """
                SELECT m.id, m.source_partner, m.remote_name, m.blob_hash, m.length, o.source_partner
                FROM hub_messages m LEFT JOIN hub_messages o ON o.id = m.related_message_id
                WHERE m.status = 'Routed' AND NOT EXISTS (SELECT 1 FROM hub_deliveries d WHERE d.message_id = m.id)
                  -- A message split for delivery has no delivery of its own: its parts carry them.
                  AND NOT EXISTS (SELECT 1 FROM hub_messages p WHERE p.related_message_id = m.id AND p.source_channel LIKE 'split:%')
                """,
                transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var (replies, messages) = (0, 0);
        foreach (var row in stranded)
        {
            if (row.SourcePartner != "HUB")
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE hub_messages SET status = 'Received', reason = NULL, updated_at = @Now, lease_owner = NULL, lease_until = NULL WHERE id = @Id",
                    new { row.Id, Now = at }, transaction, cancellationToken: cancellationToken));
                await DapperMessageStore.InsertEventAsync(connection, transaction, row.Id, at, "recovered", "was Routed without a delivery after a crash: processed again", cancellationToken);
                messages++;
            }
            else if (row.AnsweredPartner is { } partner)
            {
                // The same name the processor gives a reply's delivery: the reply's id, then its file name.
                await connection.ExecuteAsync(new CommandDefinition(dialect.InsertDeliveryIfAbsentSql,
                    new { MessageId = row.Id, Partner = partner, FileName = $"{row.Id}-{row.RemoteName}", row.BlobHash, row.Length, Route = "acknowledgement", Now = at },
                    transaction, cancellationToken: cancellationToken));
                await DapperMessageStore.InsertEventAsync(connection, transaction, row.Id, at, "recovered", $"was Routed without a delivery after a crash: queued to {partner}", cancellationToken);
                replies++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (replies, messages);
    }

    public async Task<int> RequeueAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_deliveries SET state = 'Pending', attempts = 0, next_attempt_at = @Now, lease_owner = NULL, lease_until = NULL WHERE message_id = @Id AND state = 'Failed'",
            new { Id = messageId, Now = Time.To(now) }, transaction, cancellationToken: cancellationToken));
        if (count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_messages SET status = 'Routed', reason = NULL, updated_at = @Now WHERE id = @Id",
                new { Id = messageId, Now = Time.To(now) }, transaction, cancellationToken: cancellationToken));
            await DapperMessageStore.InsertEventAsync(connection, transaction, messageId, Time.To(now), "replayed", $"{count} failed deliveries queued again", cancellationToken);
            await DocumentStates.FollowAsync(connection, transaction, messageId, MessageStatus.Routed, Time.To(now), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}
