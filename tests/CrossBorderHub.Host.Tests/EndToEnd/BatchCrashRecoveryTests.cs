using System.Text.Json.Nodes;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Group commit under SIGKILL: the folder intake takes files in batches of 64 (blobs side by side, one commit for all
/// rows) and the delivery loop sends a folder partner's batch side by side. A kill in the middle of any of those
/// batches must lose nothing and deliver nothing twice: more files than one batch, killed many times.
/// </summary>
[NonParallelizable]
public sealed class BatchCrashRecoveryTests
{
    [Test]
    public async Task Files_taken_in_batches_are_delivered_exactly_once_across_sigkills_mid_batch()
    {
        // 1,000: with batched processing the hub delivered 300 within the first round's wait, before its kill (CI,
        // 4bc0e4d: "no kill fell between the first and the last delivery"); at ~600 files/s these take ~1.7 s.
        const int files = 1000;
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject
                    {
                        ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "drop/CN", ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" },
                    },
                },
            },
        });
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < files; i++)
        {
            var content = TestDocuments.Cusdec($"GROUP{i:D4}");
            expected[$"group-{i:D4}.edi"] = content;
            await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), $"group-{i:D4}.edi"), content);
        }

        var random = new Random(20261203);
        var killedMidRun = 0;
        for (var round = 0; round < 8; round++)
        {
            await hub.StartAsync();
            // Killed once this start has delivered something, then a random moment later: a fixed delay after start
            // fell before the first delivery on every round on the CI machine, and then no kill cut a batch.
            var before = hub.DeliveredFiles("TH").Length;
            await HubProcess.EventuallyAsync(() => Task.FromResult(before >= files || hub.DeliveredFiles("TH").Length > before), TimeSpan.FromSeconds(10));
            await Task.Delay(random.Next(0, 300));
            var delivered = hub.DeliveredFiles("TH").Length;
            killedMidRun += delivered is > 0 and < files ? 1 : 0;
            await hub.KillAsync();
        }
        await hub.StartAsync();
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= files && Directory.GetFiles(hub.Drop("CN")).Length == 0),
            TimeSpan.FromSeconds(120)), Is.True, $"delivered {hub.DeliveredFiles("TH").Length} of {files}\n{hub.Log}");
        await Task.Delay(2000);

        var names = hub.DeliveredFiles("TH").Select(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-', StringComparison.Ordinal) + 1)..]).ToList();
        Assert.That(names, Has.Count.EqualTo(files), "each file exactly once");
        Assert.That(names, Is.EquivalentTo(expected.Keys));
        foreach (var file in hub.DeliveredFiles("TH"))
        {
            var name = Path.GetFileName(file)[(Path.GetFileName(file).IndexOf('-', StringComparison.Ordinal) + 1)..];
            Assert.That(File.ReadAllBytes(file), Is.EqualTo(expected[name]), name);
        }
        var statuses = (await hub.MessagesAsync()).Select(m => m!["message"]!["status"]!.GetValue<string>()).ToList();
        Assert.That(statuses.Count(s => s == "Delivered"), Is.EqualTo(files), string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}")));
        Assert.That(statuses.Where(s => s != "Delivered"), Is.All.EqualTo("Duplicate"), "a file taken again after a kill is only ever recorded as a duplicate");
        // The kills must have cut the run in the middle, or this test proves nothing about batches.
        Assert.That(killedMidRun, Is.GreaterThan(0), "no kill fell between the first and the last delivery");
    }
}
