using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Queues an acknowledgement the hub writes (CONTRL, APERAK) back to the partner an original came from: stored as a
/// message of its own that names the original, with its delivery, in one transaction and once per original + key, so
/// a crash and a re-run never make a second one.
/// </summary>
public sealed class ReplyQueue(IMessageStore store, IOutbox outbox, IBlobStore blobs, HubOptions options, TimeProvider time, ILogger<ReplyQueue> logger)
{
    /// <param name="original">The message answered.</param>
    /// <param name="kind">The document type of the reply (CONTRL, APERAK).</param>
    /// <param name="key">Distinguishes several replies of one kind to the same original (e.g. one APERAK per destination).</param>
    /// <returns>True when the reply was queued now; false when it was queued before, or cannot be sent.</returns>
    public async Task<bool> QueueAsync(MessageRecord original, string kind, string key, string fileName, byte[] content,
        DocumentIdentity identity, CancellationToken cancellationToken)
    {
        if (!options.Partners.TryGetValue(original.SourcePartner, out var partner) || !partner.HasOutbound)
        {
            await store.AddEventAsync(original.Id, "acknowledgement-skipped", $"{kind} not sent: partner {original.SourcePartner} has no outbound channel", cancellationToken);
            return false;
        }
        using var stream = new MemoryStream(content, writable: false);
        var blob = await blobs.PutAsync(stream, cancellationToken);
        var now = time.GetUtcNow();
        var (replyId, created) = await outbox.EnqueueReplyAsync(
            new NewMessage(MessageIds.New(time), now, "HUB", key, fileName, blob.Sha256, blob.Length, original.Id, Outgoing: true),
            identity,
            id => new DeliveryRequest(original.SourcePartner, $"{id}-{fileName}", blob.Sha256, blob.Length, "acknowledgement"),
            $"{kind} queued to {original.SourcePartner} as message {{id}}", cancellationToken);
        if (!created)
        {
            logger.LogInformation("{Kind} for {MessageId} was already queued as {ReplyId}: not made again", kind, original.Id, replyId);
        }
        return created;
    }
}
