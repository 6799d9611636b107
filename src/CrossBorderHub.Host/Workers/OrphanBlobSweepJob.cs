using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Storage.Blobs;
using Quartz;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// What the orphan sweeps of this instance removed since it started, for /metrics. Counters per instance, as
/// Prometheus expects of a _total: each instance sharing a data root counts what it removed itself.
/// </summary>
internal sealed class OrphanBlobMetrics
{
    private long _removed;
    private long _removedBytes;

    public long Removed => Interlocked.Read(ref _removed);

    public long RemovedBytes => Interlocked.Read(ref _removedBytes);

    public void Add(OrphanSweep sweep)
    {
        Interlocked.Add(ref _removed, sweep.Removed);
        Interlocked.Add(ref _removedBytes, sweep.RemovedBytes);
    }
}

/// <summary>Runs the orphan sweep of the blob store's incoming folder: once at start-up and every OrphanBlobSweepInterval.</summary>
internal sealed class OrphanBlobSweeper(IBlobHousekeeping blobs, HubOptions options, OrphanBlobMetrics metrics, TimeProvider time, ILogger<OrphanBlobSweeper> logger)
{
    public OrphanSweep Sweep()
    {
        var sweep = blobs.SweepOrphans(options.Processing.OrphanBlobAge, time.GetUtcNow());
        metrics.Add(sweep);
        if (sweep.Removed > 0)
        {
            logger.LogWarning("Removed {Count} orphan temporary blob(s), {Bytes} bytes, older than {Age} from {Folder}: left by an intake that was killed; their sources were not deleted, so they are taken again",
                sweep.Removed, sweep.RemovedBytes, options.Processing.OrphanBlobAge, blobs.IncomingFolder);
        }
        return sweep;
    }
}

/// <summary>The Quartz job around <see cref="OrphanBlobSweeper"/>. No overlap: a sweep of a huge folder is never doubled.</summary>
[DisallowConcurrentExecution]
internal sealed class OrphanBlobSweepJob(OrphanBlobSweeper sweeper, ILogger<OrphanBlobSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-orphan-blobs");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            sweeper.Sweep();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder is unreadable right now (disk trouble): the next sweep tries again; intake is unaffected.
            logger.LogWarning("Orphan blob sweep failed: {Error}; trying again at the next sweep", ex.Message);
        }
        return ValueTask.CompletedTask;
    }
}
