using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>Resend and retry-now over any <see cref="SqlDialect"/>: one transaction each, with an event on the message.</summary>
public sealed class DapperDeliveryActions(SqlDialect dialect) : IDeliveryActions
{
    public async Task<int> ResendAsync(string messageId, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = Time.To(now);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE hub_deliveries SET state = 'Pending', attempts = 0, next_attempt_at = @Now, lease_owner = NULL, lease_until = NULL
            WHERE message_id = @Id AND state = 'Delivered' AND message_id IN (SELECT id FROM hub_messages WHERE status IN ('Delivered', 'Acknowledged'))
            """, new { Id = messageId, Now = at }, transaction, cancellationToken: cancellationToken));
        if (count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_messages SET status = 'Routed', reason = NULL, updated_at = @Now WHERE id = @Id", new { Id = messageId, Now = at }, transaction, cancellationToken: cancellationToken));
            await DapperMessageStore.InsertEventAsync(connection, transaction, messageId, at, "resent", $"{count} deliveries queued again by {origin}", cancellationToken);
            await DocumentStates.FollowAsync(connection, transaction, messageId, MessageStatus.Routed, at, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    public async Task<int> RetryNowAsync(string messageId, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = Time.To(now);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_deliveries SET next_attempt_at = @Now WHERE message_id = @Id AND state = 'Pending' AND (lease_until IS NULL OR lease_until < @Now)",
            new { Id = messageId, Now = at }, transaction, cancellationToken: cancellationToken));
        if (count > 0)
        {
            await DapperMessageStore.InsertEventAsync(connection, transaction, messageId, at, "retry-now", $"{count} waiting deliveries made due now by {origin}", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}
