using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Workers;

/// <summary>Takes received messages through the pipeline: woken by the intake, or every Hub:Processing:PollInterval.</summary>
internal sealed class ProcessingService(MessageProcessor processor, ProcessingSignal signal, IMessageStore store, StoreOutage outage, HubOptions options,
    ILogger<ProcessingService> logger) : PipelineLoopService(outage, logger)
{
    protected override string Name => "Processing";

    protected override TimeSpan PollInterval => options.Processing.PollInterval;

    protected override Task<int> RunBatchAsync(CancellationToken cancellationToken) => processor.ProcessBatchAsync(50, cancellationToken);

    // The failed batch left its messages leased to us.
    protected override Task ReleaseLeasesAsync(CancellationToken cancellationToken) => store.ReleaseMessageLeasesAsync(options.InstanceName, cancellationToken);

    // Woken early by the intake (which, after a store outage, succeeds only when the store answers again).
    protected override Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => signal.WaitAsync(delay, cancellationToken);
}

/// <summary>Works the outbox every Hub:Delivery:PollInterval.</summary>
internal sealed class DeliveryService(DeliveryDispatcher dispatcher, IOutbox outbox, StoreOutage outage, HubOptions options, TimeProvider time,
    ILogger<DeliveryService> logger) : PipelineLoopService(outage, logger)
{
    protected override string Name => "Delivery";

    protected override TimeSpan PollInterval => options.Delivery.PollInterval;

    protected override Task<int> RunBatchAsync(CancellationToken cancellationToken) => dispatcher.DispatchBatchAsync(50, cancellationToken);

    // A delivery sent but not recorded (the store failed after the upload) is still leased to us: freed, it is sent
    // again now under its same deterministic name (replacing, not duplicating).
    protected override Task ReleaseLeasesAsync(CancellationToken cancellationToken) => outbox.ReleaseDeliveryLeasesAsync(options.InstanceName, cancellationToken);

    protected override Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, time, cancellationToken);
}
