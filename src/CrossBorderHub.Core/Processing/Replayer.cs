using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// `hub replay` and the admin's replay button: a dead-lettered message's failed deliveries are queued again with a
/// fresh attempt count; a rejected message is processed again from its stored bytes. Nothing else can be replayed.
/// </summary>
public sealed class Replayer(IMessageStore store, IOutbox outbox, TimeProvider time)
{
    public async Task<ReplayResult> ReplayAsync(string id, string origin, CancellationToken cancellationToken)
    {
        var message = await store.GetAsync(id, cancellationToken);
        switch (message?.Status)
        {
            case null:
                return new ReplayResult(false, $"no message '{id}'");
            case MessageStatus.DeadLettered:
                var count = await outbox.RequeueAsync(id, time.GetUtcNow(), cancellationToken);
                return new ReplayResult(true, $"{count} failed deliveries queued again");
            case MessageStatus.Rejected:
                await store.TransitionAsync(id, MessageStatus.Received, "replayed", $"queued for processing again by {origin}", null, cancellationToken);
                return new ReplayResult(true, "queued for processing again");
            default:
                return new ReplayResult(false, $"message '{id}' is {message.Status}: only DeadLettered or Rejected messages can be replayed");
        }
    }
}

public sealed record ReplayResult(bool Replayed, string Detail);
