namespace CrossBorderHub.Core.Processing;

/// <summary>Wakes the processing loop as soon as something arrives instead of waiting for its next tick.</summary>
public sealed class ProcessingSignal(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by another thread: one wake-up is enough.
            }
        }
    }

    /// <summary>
    /// Returns when notified or when <paramref name="timeout"/> has passed on the hub's <see cref="TimeProvider"/>
    /// (SemaphoreSlim's own timeout runs on the wall clock, which a test's time cannot advance).
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var elapsed = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            await _semaphore.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout, not shutdown: the caller looks for work anyway.
        }
    }

    public void Dispose() => _semaphore.Dispose();
}

/// <summary>Wakes the delivery loop when messages were routed, instead of waiting for Hub:Delivery:PollInterval.</summary>
public sealed class DeliverySignal(TimeProvider time) : IDisposable
{
    private readonly ProcessingSignal _signal = new(time);

    public void Notify() => _signal.Notify();

    /// <inheritdoc cref="ProcessingSignal.WaitAsync"/>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
