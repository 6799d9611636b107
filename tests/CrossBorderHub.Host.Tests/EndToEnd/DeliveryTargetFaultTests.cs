namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A real `hub run` delivering into a folder on a real 2 MB tmpfs (mounted by this test; needs root) that refuses
/// writes: filled to the last byte (a full delivery disk) or remounted read-only (refused even for root, unlike chmod).
/// Deliveries must wait with backoff (neither Delivered nor DeadLettered), leave nothing at the target, and arrive
/// exactly once, whole, when the target takes writes again.
/// </summary>
[NonParallelizable]
public sealed class DeliveryTargetFaultTests
{
    [TestCase("full")]
    [TestCase("read-only")]
    public async Task When_the_delivery_folder_refuses_writes_deliveries_wait_with_backoff_leave_no_partial_file_and_arrive_once_after_recovery(string fault)
    {
        var outside = Directory.CreateTempSubdirectory("hub-target-").FullName;
        var deliver = Directory.CreateDirectory(Path.Combine(outside, "deliver")).FullName;
        try
        {
            await using var target = await Tmpfs.MountAsync(deliver, "size=2m");
            await using var hub = new HubProcess(new JsonObject
            {
                ["Hub"] = new JsonObject
                {
                    ["Delivery"] = new JsonObject { ["PollInterval"] = "00:00:00.200", ["InitialBackoff"] = "00:00:00.500", ["MaxBackoff"] = "00:00:02", ["MaxAttempts"] = 50 },
                    ["Partners"] = new JsonObject
                    {
                        ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" } },
                        ["TH"] = new JsonObject { ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = deliver } },
                    },
                },
            });
            await hub.StartAsync();
            var filler = Path.Combine(deliver, ".filler");
            if (fault == "full")
            {
                await ProcessRunner.RunAsync("dd", ["if=/dev/zero", $"of={filler}", "bs=64k"], TimeSpan.FromSeconds(20));
            }
            else
            {
                await target.RemountAsync(readOnly: true);
            }

            const int files = 8;
            var expected = new Dictionary<string, byte[]>();
            var drop = hub.Drop("CN");
            for (var i = 0; i < files; i++)
            {
                var content = TestDocuments.Cusdec($"TGT{i:D4}");
                expected[$"target-{i:D4}.edi"] = content;
                await File.WriteAllBytesAsync(Path.Combine(drop, $"target-{i:D4}.edi"), content);
            }
            Assert.That(await HubProcess.EventuallyAsync(async () => (await Deliveries(hub)).Count(d => d["attempts"]!.GetValue<int>() >= 3) == files,
                TimeSpan.FromSeconds(40)), Is.True, $"every delivery was tried and retried\n{hub.Log}");
            var waiting = await hub.MessagesAsync();
            Assert.That(waiting.Select(m => m!["message"]!["status"]!.GetValue<string>()), Is.All.EqualTo("Routed"), "neither Delivered nor DeadLettered while the target refuses");
            Assert.That((await Deliveries(hub)).Select(d => d["state"]!.GetValue<string>()), Is.All.EqualTo("Pending"));
            Assert.That(TargetFiles(deliver).Where(f => f != filler), Is.Empty, "nothing at the target, not even a partial temporary file");

            if (fault == "full")
            {
                File.Delete(filler);
            }
            else
            {
                await target.RemountAsync(readOnly: false);
            }
            Assert.That(await HubProcess.EventuallyAsync(async () => (await hub.MessagesAsync()).All(m => m!["message"]!["status"]!.GetValue<string>() == "Delivered"),
                TimeSpan.FromSeconds(30)), Is.True, $"every message delivered after recovery\n{hub.Log}");
            var delivered = TargetFiles(deliver);
            Assert.That(delivered.Where(f => Path.GetFileName(f).StartsWith('.')), Is.Empty, "no temporary file left");
            Assert.That(delivered, Has.Length.EqualTo(files), "each file exactly once");
            var byName = delivered.ToDictionary(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-', StringComparison.Ordinal) + 1)..], File.ReadAllBytes);
            Assert.That(byName.Keys, Is.EquivalentTo(expected.Keys));
            foreach (var (name, content) in expected)
            {
                Assert.That(byName[name], Is.EqualTo(content), name);
            }
            await hub.KillAsync();
        }
        finally
        {
            TempFolder.Delete(outside);
        }
    }

    private static async Task<List<JsonNode>> Deliveries(HubProcess hub) =>
        (await hub.MessagesAsync()).SelectMany(m => m!["deliveries"]!.AsArray()).Select(d => d!).ToList();

    private static string[] TargetFiles(string folder) => Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
}
