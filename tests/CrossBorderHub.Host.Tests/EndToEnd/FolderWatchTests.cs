namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A folder channel is watched: a dropped file is taken at once, not at the next tick of its schedule, and the
/// routed message is delivered at once, not at the next tick of the delivery loop.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FolderWatchTests
{
    [Test]
    public async Task With_30_second_poll_intervals_a_dropped_file_is_delivered_within_seconds()
    {
        var slow = "00:00:30";
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Processing"] = new JsonObject { ["PollInterval"] = slow },
                ["Delivery"] = new JsonObject { ["PollInterval"] = slow },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Schedule"] = slow, ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00.200" } },
                },
            },
        });
        await hub.StartAsync();
        // The schedule's first poll runs at start; from now on only the watcher can make it sooner than 30 s.
        await Task.Delay(TimeSpan.FromSeconds(1));

        foreach (var name in new[] { "first.edi", "second.edi" })
        {
            var clock = Stopwatch.StartNew();
            await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), name), TestDocuments.Cusdec("REF" + name[..3].ToUpperInvariant()));
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Any(f => f.EndsWith(name, StringComparison.Ordinal))), TimeSpan.FromSeconds(5)),
                Is.True, $"{name} not delivered within 5 s of being dropped\n{hub.Log}");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
    }

    [Test]
    public async Task A_file_still_too_young_when_the_watcher_fires_is_taken_once_it_is_old_enough_not_at_the_next_tick()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Schedule"] = "00:00:30", ["MinimumAge"] = "00:00:01.500", ["StableInterval"] = "00:00:00.200" } },
                },
            },
        });
        await hub.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "young.edi"), TestDocuments.Cusdec("REFYOUNG"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(6)), Is.True, hub.Log);
    }
}
