using System.Data.Common;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// A message's documents follow its status, in the same transaction as the status change (store and outbox call
/// this wherever they write hub_messages.status). Replaced, Cancelled and Duplicate are decisions about the document
/// itself and are never overwritten by the carrying message moving on.
/// </summary>
internal static class DocumentStates
{
    public static async Task FollowAsync(DbConnection connection, DbTransaction? transaction, string messageId, MessageStatus status, long at, CancellationToken cancellationToken)
    {
        var state = status switch
        {
            MessageStatus.Routed => nameof(DocumentState.PendingDelivery),
            MessageStatus.Delivered => nameof(DocumentState.Delivered),
            MessageStatus.DeadLettered => nameof(DocumentState.FailedDelivery),
            MessageStatus.Acknowledged => nameof(DocumentState.Acknowledged),
            MessageStatus.Rejected => nameof(DocumentState.Rejected),
            MessageStatus.Duplicate => nameof(DocumentState.Duplicate),
            _ => null,
        };
        if (state is null)
        {
            return;
        }
        const string Untouched = " WHERE message_id = @Id AND state NOT IN ('Replaced', 'Cancelled', 'Duplicate')";
        if (status == MessageStatus.Delivered)
        {
            var received = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT received_at FROM hub_messages WHERE id = @Id", new { Id = messageId }, transaction, cancellationToken: cancellationToken));
            await DocumentRollup.TrackAsync(connection, transaction, "message_id = @Id", new { Id = messageId }, () => connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_documents SET state = CASE WHEN has_warning = 1 THEN 'DeliveredWithWarnings' ELSE 'Delivered' END, " +
                "delivered_at = @At, latency_bucket = @Bucket" + Untouched + " AND delivered_at IS NULL",
                new { Id = messageId, At = at, Bucket = StatisticsPeriods.Bucket(at - (received ?? at)) }, transaction, cancellationToken: cancellationToken)), cancellationToken);
            return;
        }
        // The first acknowledgement's time stays: received -> acknowledged is measured to it.
        await DocumentRollup.TrackAsync(connection, transaction, "message_id = @Id", new { Id = messageId }, async before =>
        {
            if (before.Count == 0)
            {
                return false; // a message without documents (an acknowledgement, an unknown format)
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_documents SET state = @State" + (status == MessageStatus.Acknowledged ? ", acknowledged_at = COALESCE(acknowledged_at, @At)" : "") + Untouched,
                new { Id = messageId, State = state, At = at }, transaction, cancellationToken: cancellationToken));
            // Routed -> PendingDelivery moves no count unless a document was Rejected before (a replayed message): the
            // rollup counts rejected, duplicate, delivered and acknowledged documents, and this changes none of the others.
            return status != MessageStatus.Routed || before.Any(d => d.State == nameof(DocumentState.Rejected));
        }, cancellationToken);
    }
}
