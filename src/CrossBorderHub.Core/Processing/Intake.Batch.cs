using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Telemetry;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// The intake's group commit: a batch's payloads go to the blob store together (small ones as rows in one commit of
/// their own, large ones as files written side by side), then every row commits in one durable transaction. One item
/// at a time cost three serial flushes (blob, its folder, the row); a batch of small payloads costs one for all. The
/// promise is unchanged: when this returns, every item it reports stored has its bytes and its row on disk, so the
/// channel may remove it.
/// </summary>
public sealed partial class Intake
{
    public async Task<IReadOnlyList<BatchOutcome>> AcceptManyAsync(IReadOnlyList<InboundItem> items, CancellationToken cancellationToken)
    {
        var stored = new (string Id, BlobInfo? Blob, Exception? Error)[items.Count];
        // In item order (the channel lists them sorted), so ids sort as the files did.
        var ids = items.Select(_ => MessageIds.New(time)).ToArray();
        Exception? diskFull = null;
        BlobPut[] puts;
        // One intake activity per message, so every message's trace starts with its payload being stored.
        var activities = ids.Select((id, i) => MessageTrace.Start(MessageTrace.Intake, id, items[i].Origin.Partner)).ToArray();
        try
        {
            try
            {
                puts = await blobs.PutManyAsync(items.Select(item => (Func<Stream>)item.Open).ToList(), cancellationToken);
            }
            catch (IOException ex) when (IntakePause.IsDiskFull(ex))
            {
                pause.MarkFull(ex);
                throw new StorageFullException($"the data disk is full: {ex.Message}", ex);
            }
            catch (Exception ex) when (StoreOutage.IsStoreFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The small payloads are rows of the store: nothing is stored, every source stays for the next poll.
                outage.MarkDown(ex);
                throw new StoreUnavailableException($"the message store is unreachable: {ex.Message}", ex);
            }
        }
        finally
        {
            foreach (var activity in activities)
            {
                activity?.Dispose();
            }
        }
        for (var i = 0; i < items.Count; i++)
        {
            // This item's read failed (changed while read, vanished, denied): the others go on.
            stored[i] = (ids[i], puts[i].Blob, puts[i].Error);
            if (puts[i].Error is IOException ex && IntakePause.IsDiskFull(ex))
            {
                diskFull = ex;
            }
        }
        if (diskFull is IOException full)
        {
            pause.MarkFull(full);
            throw new StorageFullException($"the data disk is full: {full.Message}", full);
        }
        pause.MarkWritable();

        var now = time.GetUtcNow();
        var messages = new List<NewMessage>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (stored[i].Blob is { } blob)
            {
                var origin = items[i].Origin;
                messages.Add(new NewMessage(stored[i].Id, now, origin.Partner, origin.Channel, origin.RemoteName, blob.Sha256, blob.Length));
            }
        }
        IReadOnlyList<MessageStatus> statuses = [];
        var started = outage.Started();
        try
        {
            if (messages.Count > 0)
            {
                statuses = await store.RecordReceivedManyAsync(messages, now - options.Processing.DuplicateWindow, cancellationToken);
            }
        }
        catch (Exception ex) when (StoreOutage.IsStoreFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The blobs are stored but no row is: the sources stay, and their next pickup finds the same blobs.
            outage.MarkDown(ex);
            throw new StoreUnavailableException($"the message store is unreachable: {ex.Message}", ex);
        }
        outage.MarkUp(started);

        var outcomes = new BatchOutcome[items.Count];
        for (int i = 0, row = 0; i < items.Count; i++)
        {
            if (stored[i].Blob is not { } blob)
            {
                outcomes[i] = new BatchOutcome(null, stored[i].Error);
                continue;
            }
            var origin = items[i].Origin;
            var duplicate = statuses[row++] == MessageStatus.Duplicate;
            if (origin.Headers is { Count: > 0 } headers)
            {
                await store.AddEventAsync(stored[i].Id, "transport-headers", string.Join("; ", headers.Select(h => $"{h.Key}={h.Value}")), cancellationToken);
            }
            _metrics.PayloadTaken(origin.Partner, blob.Length);
            if (duplicate)
            {
                _metrics.Duplicate(origin.Partner, null);
            }
            logger.LogInformation("Received {MessageId} from {Partner}/{Channel} '{Name}' ({Length} bytes){Duplicate}",
                stored[i].Id, origin.Partner, origin.Channel, PartnerText.Escape(origin.RemoteName), blob.Length, duplicate ? " — duplicate" : "");
            outcomes[i] = new BatchOutcome(new AcceptResult(stored[i].Id, duplicate), null);
        }
        if (messages.Count > 0)
        {
            signal.Notify();
        }
        return outcomes;
    }
}
