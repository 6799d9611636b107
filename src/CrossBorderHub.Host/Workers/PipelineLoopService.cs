using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The loop the processing and delivery services share: run batches until one comes back empty, then wait. On a
/// failure it backs off (<see cref="StoreOutage.Backoff"/>), reports a store outage once through <see cref="StoreOutage"/>
/// or logs a defect with its stack, and before the next round frees the leases the failed batch left to this instance.
/// At a clean stop it frees them too, for the other instances sharing the store.
/// </summary>
internal abstract class PipelineLoopService(StoreOutage outage, ILogger logger) : BackgroundService
{
    /// <summary>The loop's name in the log: "Processing", "Delivery".</summary>
    protected abstract string Name { get; }

    /// <summary>How long to wait after an empty batch.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>One batch; the number of items it took (0: nothing to do).</summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken cancellationToken);

    /// <summary>Frees what the failed round left leased to this instance, so it is taken now rather than after the lease.</summary>
    protected abstract Task ReleaseLeasesAsync(CancellationToken cancellationToken);

    /// <summary>After a batch that took something (e.g. to wake the next stage).</summary>
    protected virtual void AfterBatch()
    {
    }

    /// <summary>Waits <paramref name="delay"/> before the next round (a service may be woken early).</summary>
    protected abstract Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RunUntilStoppedAsync(stoppingToken);
        await ReleaseOnStopAsync();
    }

    /// <summary>
    /// A clean stop hands back what the stopped batch had claimed: other instances on the same store take it at
    /// their next round instead of waiting out Hub:Processing:Lease (minutes), which a rolling restart would
    /// otherwise cost. The batch has ended (it is awaited), so nothing of this instance still works on those rows.
    /// </summary>
    private async Task ReleaseOnStopAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReleaseLeasesAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store is away: the leases run out by themselves, as after a kill.
            logger.LogWarning("{Loop} loop: could not hand back its leases at stop ({Error}); they expire after Hub:Processing:Lease", Name, ex.Message);
        }
    }

    private async Task RunUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (failures > 0)
                {
                    await ReleaseLeasesAsync(stoppingToken);
                }
                var started = outage.Started();
                while (await RunBatchAsync(stoppingToken) > 0)
                {
                    AfterBatch();
                    outage.MarkUp(started);
                    started = outage.Started();
                }
                outage.MarkUp(started);
                failures = 0;
                await WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = StoreOutage.Backoff(failures);
                if (StoreOutage.IsStoreFault(ex))
                {
                    // Logged once per outage by StoreOutage, not once per round.
                    outage.MarkDown(ex);
                }
                else
                {
                    // Not the store: a defect, so the stack goes with it.
                    logger.LogError(ex, "{Loop} loop: {Error}; retrying in {Delay}", Name, ex.Message, delay);
                }
                await WaitAsync(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
