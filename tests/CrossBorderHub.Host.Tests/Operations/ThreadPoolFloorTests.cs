using CrossBorderHub.Host.Workers;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>`hub run` raises the thread pool's minimum so blocking fsyncs do not starve the pipeline (docs/benchmarks.md).</summary>
[NonParallelizable] // the pool's minimum is the whole test process's
public sealed class ThreadPoolFloorTests
{
    private int _workers;
    private int _completionPorts;

    [SetUp]
    public void Remember() => ThreadPool.GetMinThreads(out _workers, out _completionPorts);

    [TearDown]
    public void Restore() => ThreadPool.SetMinThreads(_workers, _completionPorts);

    [Test]
    public void Raise_lifts_a_minimum_of_one_thread_per_core_to_the_floor_and_leaves_the_completion_ports()
    {
        Assert.That(ThreadPool.SetMinThreads(Environment.ProcessorCount, _completionPorts), Is.True);

        ThreadPoolFloor.Raise();

        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        Assert.That(workers, Is.EqualTo(Math.Max(ThreadPoolFloor.MinimumWorkerThreads, Environment.ProcessorCount)));
        Assert.That(completionPorts, Is.EqualTo(_completionPorts));
    }

    [Test]
    public void Raise_keeps_a_higher_minimum_set_by_the_runtime_configuration()
    {
        var higher = ThreadPoolFloor.MinimumWorkerThreads * 2;
        Assert.That(ThreadPool.SetMinThreads(higher, _completionPorts), Is.True);

        ThreadPoolFloor.Raise();

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.That(workers, Is.EqualTo(higher));
    }
}
