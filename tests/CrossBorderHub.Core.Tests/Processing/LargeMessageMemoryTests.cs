namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>After a large message the hub gives its memory back (issue 12: an idle hub kept ~470 MB after a 1 GB file).</summary>
[NonParallelizable] // measures the process's GC heap
public class LargeMessageMemoryTests
{
    [Test]
    public void An_idle_hub_kept_the_heap_a_large_message_grew()
    {
        // What validating a large interchange leaves behind: many small objects that lived long enough for gen 2.
        var garbage = new List<byte[]>();
        for (var i = 0; i < 200_000; i++)
        {
            garbage.Add(new byte[1000]);
        }
        GC.Collect();
        GC.Collect();
        garbage = null;
        GC.KeepAlive(garbage);
        var grown = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;

        Assert.That(LargeMessageMemory.ReturnAfter(LargeMessageMemory.Threshold), Is.True);

        var after = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        Assert.That(after, Is.LessThan(grown - (100 << 20)), $"committed {grown:N0} bytes before, {after:N0} after");
    }

    [Test]
    public void A_small_message_does_not_cost_a_full_collection()
    {
        var collections = GC.CollectionCount(GC.MaxGeneration);
        Assert.That(LargeMessageMemory.ReturnAfter(LargeMessageMemory.Threshold - 1), Is.False);
        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.EqualTo(collections));
    }
}
