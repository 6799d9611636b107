using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Workers;

/// <summary>Takes received messages through the pipeline: woken by the intake, or every Hub:Processing:PollInterval.</summary>
internal sealed class ProcessingService(MessageProcessor processor, ProcessingSignal signal, DeliverySignal deliveries, IMessageStore store, StoreOutage outage, HubOptions options,
    ILogger<ProcessingService> logger) : PipelineLoopService(outage, logger)
{
    protected override string Name => "Processing";

    protected override TimeSpan PollInterval => options.Processing.PollInterval;

    protected override Task<int> RunBatchAsync(CancellationToken cancellationToken) => processor.ProcessBatchAsync(100, cancellationToken);

    // Routed messages wait in the outbox: the delivery loop takes them now, not at its next tick.
    protected override void AfterBatch() => deliveries.Notify();

    // The failed batch left its messages leased to us.
    protected override Task ReleaseLeasesAsync(CancellationToken cancellationToken) => store.ReleaseMessageLeasesAsync(options.InstanceName, cancellationToken);

    // Woken early by the intake (which, after a store outage, succeeds only when the store answers again).
    protected override Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => signal.WaitAsync(delay, cancellationToken);
}

/// <summary>Works the outbox: woken when messages are routed, and every Hub:Delivery:PollInterval for retries that fall due.</summary>
internal sealed class DeliveryService(DeliveryDispatcher dispatcher, DeliverySignal signal, IOutbox outbox, StoreOutage outage, HubOptions options,
    ILogger<DeliveryService> logger) : PipelineLoopService(outage, logger)
{
    protected override string Name => "Delivery";

    protected override TimeSpan PollInterval => options.Delivery.PollInterval;

    // 200 at a time: the claim and the records are one commit each however many, and under load each waits for the
    // store's write lock (SQLite: one writer), so a larger batch pays those waits less often per delivery.
    protected override Task<int> RunBatchAsync(CancellationToken cancellationToken) => dispatcher.DispatchBatchAsync(200, cancellationToken);

    // A delivery sent but not recorded (the store failed after the upload) is still leased to us: freed, it is sent
    // again now under its same deterministic name (replacing, not duplicating).
    protected override Task ReleaseLeasesAsync(CancellationToken cancellationToken) => outbox.ReleaseDeliveryLeasesAsync(options.InstanceName, cancellationToken);

    protected override Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => signal.WaitAsync(delay, cancellationToken);
}
