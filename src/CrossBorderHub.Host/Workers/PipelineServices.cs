using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Workers;

/// <summary>Takes received messages through the pipeline: woken by the intake, or every Hub:Processing:PollInterval.</summary>
internal sealed class ProcessingService(MessageProcessor processor, ProcessingSignal signal, HubOptions options, ILogger<ProcessingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await processor.ProcessBatchAsync(50, stoppingToken) > 0)
                {
                }
                await signal.WaitAsync(options.Processing.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unreachable (database restart...): wait and try again rather than stop the worker.
                logger.LogError("Processing loop: {Error}; retrying in 5 s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

/// <summary>Works the outbox every Hub:Delivery:PollInterval.</summary>
internal sealed class DeliveryService(DeliveryDispatcher dispatcher, HubOptions options, ILogger<DeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await dispatcher.DispatchBatchAsync(50, stoppingToken) > 0)
                {
                }
                await Task.Delay(options.Delivery.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError("Delivery loop: {Error}; retrying in 5 s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
