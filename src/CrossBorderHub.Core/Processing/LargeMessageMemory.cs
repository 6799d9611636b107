namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Returns the memory a large message took once it is processed. Validating a gigabyte interchange grows the heap
/// (segment windows, up to 10,000 findings and their CONTRL, the chunks' results); a workstation GC keeps what it grew
/// to for the next allocation, so an idle hub kept ~470 MB after one such file (docs/benchmarks.md, "Memory at 1 GB").
/// A compacting aggressive collection gives it back to the operating system; it costs tens of milliseconds, which a
/// message of this size dwarfs, and small messages never trigger it.
/// </summary>
public static class LargeMessageMemory
{
    /// <summary>Messages from this size on are followed by a collection that returns the memory.</summary>
    public const long Threshold = 64L << 20;

    /// <summary>True when a collection ran (<paramref name="length"/> at or over <see cref="Threshold"/>).</summary>
    public static bool ReturnAfter(long length)
    {
        if (length < Threshold)
        {
            return false;
        }
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
