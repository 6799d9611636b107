using System.Diagnostics.Metrics;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Telemetry;
using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The observed instruments of the Meter "CrossBorderHub": what the store and the blob folder hold now, read when a
/// scrape or an export asks. The store is read at most once a second whatever the number of readers, and is the same
/// for every instance sharing it.
/// </summary>
internal sealed class HubGauges
{
    private static readonly TimeSpan StoreReadInterval = TimeSpan.FromSeconds(1);
    private readonly IMessageQueries _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<MessageStatus, long> _counts = new Dictionary<MessageStatus, long>();
    private long _readAt = long.MinValue;

    public HubGauges(HubMetrics metrics, IMessageQueries store, OrphanBlobMetrics orphans, IBlobHousekeeping blobs, HubOptions options, TimeProvider time)
    {
        (_store, _time) = (store, time);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("crossborderhub.messages", () => Counts().Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key.ToString()))),
            "{message}", "Messages in the store by status.");
        meter.CreateObservableGauge("crossborderhub.outbox.depth", () => Counts().GetValueOrDefault(MessageStatus.Routed),
            "{message}", "Messages routed and waiting in the outbox for their deliveries.");
        meter.CreateObservableCounter("crossborderhub.orphan_blobs_removed", () => orphans.Removed,
            null, "Temporary blob files left by a killed intake and removed by this instance.");
        meter.CreateObservableCounter("crossborderhub.orphan_blob_bytes_removed", () => orphans.RemovedBytes,
            null, "Bytes of the orphan temporary blob files removed by this instance.");
        meter.CreateObservableGauge("crossborderhub.orphan_blobs", () => blobs.CountIncoming(options.Processing.OrphanBlobAge, time.GetUtcNow()).Orphans,
            null, "Temporary blob files older than Hub:Processing:OrphanBlobAge present now (removed at the next sweep unless held open).");
        meter.CreateObservableGauge("crossborderhub.incoming_blobs", () => blobs.CountIncoming(options.Processing.OrphanBlobAge, time.GetUtcNow()).Present,
            null, "Temporary blob files present now: intakes in progress plus orphans.");
    }

    private IReadOnlyDictionary<MessageStatus, long> Counts()
    {
        lock (_gate)
        {
            if (_readAt != long.MinValue && _time.GetElapsedTime(_readAt) < StoreReadInterval)
            {
                return _counts;
            }
            try
            {
                // Observable callbacks are synchronous; the scrape runs on a thread pool thread with no context to block.
                _counts = WithStatuses(_store.CountByStatusAsync(CancellationToken.None).GetAwaiter().GetResult());
            }
            catch (Exception ex) when (Core.Processing.StoreOutage.IsStoreFault(ex))
            {
                // The store is down: /health/ready says so; the last counts stay rather than a scrape failing.
            }
            _readAt = _time.GetTimestamp();
            return _counts;
        }
    }

    /// <summary>Every status, zero included, so a series exists before its first message.</summary>
    private static Dictionary<MessageStatus, long> WithStatuses(IReadOnlyDictionary<MessageStatus, long> counts) =>
        Enum.GetValues<MessageStatus>().ToDictionary(s => s, counts.GetValueOrDefault);
}
