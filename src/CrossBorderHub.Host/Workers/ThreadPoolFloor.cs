namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The worker's thread pool starts with enough threads for the blocking calls of its pipeline. A folder delivery
/// flushes each file to disk (fsync, up to eight at once per channel) and a durable SQLite commit fsyncs too: neither
/// has an asynchronous form, so each holds a pool thread for a millisecond or more. With the runtime's default of one
/// thread per core (two here), those flushes took the threads the writer's next turn and the other loops were
/// waiting for, and the pool adds threads only slowly once it notices. Measured in docs/benchmarks.md ("Thread pool
/// floor"); raising the floor costs idle threads nothing but their stacks.
/// </summary>
internal static class ThreadPoolFloor
{
    /// <summary>Worker threads the pool keeps ready: the sends of a few folder channels at once, and the hub's loops.</summary>
    public const int MinimumWorkerThreads = 32;

    /// <summary>Raises the pool's minimum to <see cref="MinimumWorkerThreads"/>; a higher minimum (set by the runtime configuration) stays.</summary>
    public static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinimumWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinimumWorkerThreads, completionPorts);
        }
    }
}
