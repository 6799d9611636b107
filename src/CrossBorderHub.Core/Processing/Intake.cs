using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Text;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// The durable entry point every inbound channel hands bytes to: blob first (fsynced), then the message row.
/// Only when this returns may the channel delete, move or acknowledge its source.
/// </summary>
public sealed partial class Intake(IBlobStore blobs, IMessageStore store, HubOptions options, TimeProvider time, ProcessingSignal signal, IntakePause pause, StoreOutage outage, ILogger<Intake> logger,
    HubMetrics? metrics = null) : IInboundSink
{
    private readonly HubMetrics _metrics = metrics ?? new HubMetrics();

    public async Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken)
    {
        // The id first, so the intake activity is in the message's trace from its first byte.
        var id = MessageIds.New(time);
        using var activity = MessageTrace.Start(MessageTrace.Intake, id, origin.Partner);
        BlobInfo blob;
        try
        {
            blob = await blobs.PutAsync(content, cancellationToken);
        }
        catch (IOException ex) when (IntakePause.IsDiskFull(ex))
        {
            pause.MarkFull(ex);
            throw new StorageFullException($"the data disk is full: {ex.Message}", ex);
        }
        pause.MarkWritable();
        var now = time.GetUtcNow();
        MessageRecord record;
        var started = outage.Started();
        try
        {
            record = await store.RecordReceivedAsync(
                new NewMessage(id, now, origin.Partner, origin.Channel, origin.RemoteName, blob.Sha256, blob.Length),
                now - options.Processing.DuplicateWindow, cancellationToken);
            if (origin.Headers is { Count: > 0 } headers)
            {
                await store.AddEventAsync(record.Id, "transport-headers", string.Join("; ", headers.Select(h => $"{h.Key}={h.Value}")), cancellationToken);
            }
        }
        catch (Exception ex) when (StoreOutage.IsStoreFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The blob is stored but no row is: the source stays, and its next pickup finds the same blob (same hash).
            outage.MarkDown(ex);
            throw new StoreUnavailableException($"the message store is unreachable: {ex.Message}", ex);
        }
        outage.MarkUp(started);
        _metrics.PayloadTaken(origin.Partner, blob.Length);
        if (record.Status == MessageStatus.Duplicate)
        {
            _metrics.Duplicate(origin.Partner, null);
        }
        logger.LogInformation("Received {MessageId} from {Partner}/{Channel} '{Name}' ({Length} bytes){Duplicate}",
            record.Id, origin.Partner, origin.Channel, PartnerText.Escape(origin.RemoteName), blob.Length, record.Status == MessageStatus.Duplicate ? " — duplicate" : "");
        signal.Notify();
        return new AcceptResult(record.Id, record.Status == MessageStatus.Duplicate);
    }
}
