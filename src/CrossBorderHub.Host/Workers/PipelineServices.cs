using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Workers;

/// <summary>Takes received messages through the pipeline: woken by the intake, or every Hub:Processing:PollInterval.</summary>
internal sealed class ProcessingService(MessageProcessor processor, ProcessingSignal signal, DeliverySignal deliveries, IMessageStore store, StoreOutage outage, HubOptions options,
    ILogger<ProcessingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (failures > 0)
                {
                    // The failed batch left its messages leased to us; free them so they are taken now, not after Lease.
                    await store.ReleaseMessageLeasesAsync(options.InstanceName, stoppingToken);
                }
                var started = outage.Started();
                while (await processor.ProcessBatchAsync(50, stoppingToken) > 0)
                {
                    // Routed messages wait in the outbox: the delivery loop takes them now, not at its next tick.
                    deliveries.Notify();
                    outage.MarkUp(started);
                    started = outage.Started();
                }
                outage.MarkUp(started);
                failures = 0;
                await signal.WaitAsync(options.Processing.PollInterval, stoppingToken);
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
                    logger.LogError(ex, "Processing loop: {Error}; retrying in {Delay}", ex.Message, delay);
                }
                // Woken early by the intake, which succeeds only when the store answers again.
                await signal.WaitAsync(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

/// <summary>Works the outbox: woken when messages are routed, and every Hub:Delivery:PollInterval for retries that fall due.</summary>
internal sealed class DeliveryService(DeliveryDispatcher dispatcher, DeliverySignal signal, IOutbox outbox, StoreOutage outage, HubOptions options, TimeProvider time,
    ILogger<DeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (failures > 0)
                {
                    // A delivery sent but not recorded (the store failed after the upload) is still leased to us: free
                    // it so it is sent again now under its same deterministic name (replacing, not duplicating).
                    await outbox.ReleaseDeliveryLeasesAsync(options.InstanceName, stoppingToken);
                }
                var started = outage.Started();
                while (await dispatcher.DispatchBatchAsync(50, stoppingToken) > 0)
                {
                    outage.MarkUp(started);
                    started = outage.Started();
                }
                outage.MarkUp(started);
                failures = 0;
                await signal.WaitAsync(options.Delivery.PollInterval, stoppingToken);
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
                    outage.MarkDown(ex);
                }
                else
                {
                    logger.LogError(ex, "Delivery loop: {Error}; retrying in {Delay}", ex.Message, delay);
                }
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
