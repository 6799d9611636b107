namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>The processing loop's wait: woken by the intake, or timed out on the hub's TimeProvider.</summary>
public sealed class ProcessingSignalTests
{
    /// <summary>A clock on which every timer is already due: what a test's advanced time looks like to a waiter.</summary>
    private sealed class AlwaysDueTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
            return new NeverAgain();
        }

        private sealed class NeverAgain : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private static async Task<bool> EndsWithin(Task task, TimeSpan limit) => await Task.WhenAny(task, Task.Delay(limit)) == task;

    [Test]
    public async Task The_wait_times_out_on_the_hubs_TimeProvider_not_on_the_wall_clock()
    {
        using var signal = new ProcessingSignal(new AlwaysDueTime());
        Assert.That(await EndsWithin(signal.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None), TimeSpan.FromSeconds(10)), Is.True,
            "an hour on the hub's clock has passed, so the wait is over");
    }

    [Test]
    public async Task A_notification_ends_the_wait_before_its_timeout()
    {
        using var signal = new ProcessingSignal(TimeProvider.System);
        var waiting = signal.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);
        signal.Notify();
        Assert.That(await EndsWithin(waiting, TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public void Shutdown_ends_the_wait_with_a_cancellation_not_a_timeout()
    {
        using var signal = new ProcessingSignal(TimeProvider.System);
        using var shutdown = new CancellationTokenSource();
        var waiting = signal.WaitAsync(TimeSpan.FromHours(1), shutdown.Token);
        shutdown.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }
}
