namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// The data root on a real 8 MB tmpfs (mounted by this test; needs root) filled to the last byte while files wait in
/// the drop folder, then freed: no source may be removed, the condition is logged once, and every file arrives once.
/// </summary>
[NonParallelizable]
public sealed class DiskFullTests
{
    [Test]
    public async Task When_the_data_disk_fills_during_intake_no_source_is_deleted_and_intake_resumes_when_space_returns()
    {
        var outside = Directory.CreateTempSubdirectory("hub-diskfull-").FullName;
        var dataRoot = Directory.CreateDirectory(Path.Combine(outside, "data")).FullName;
        try
        {
            await using var data = await Tmpfs.MountAsync(dataRoot, "size=8m");
            var drop = Directory.CreateDirectory(Path.Combine(outside, "drop")).FullName;
            var deliver = Path.Combine(outside, "deliver");
            await using var hub = new HubProcess(new JsonObject
            {
                ["Hub"] = new JsonObject
                {
                    ["DataRoot"] = dataRoot,
                    ["Partners"] = new JsonObject
                    {
                        ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = drop, ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00" } },
                        ["TH"] = new JsonObject { ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = deliver } },
                    },
                },
            });
            await hub.StartAsync();
            // Fill the disk to the last byte: the hub's database and folders exist, nothing is left for a blob.
            var filler = Path.Combine(dataRoot, "filler");
            await ProcessRunner.RunAsync("dd", ["if=/dev/zero", $"of={filler}", "bs=64k"], TimeSpan.FromSeconds(20));

            const int files = 12;
            var expected = new Dictionary<string, byte[]>();
            for (var i = 0; i < files; i++)
            {
                var content = TestDocuments.Cusdec($"FULL{i:D4}");
                expected[$"full-{i:D4}.edi"] = content;
                await File.WriteAllBytesAsync(Path.Combine(drop, $"full-{i:D4}.edi"), content);
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.That(await HubProcess.EventuallyAsync(async () => (int)(await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/health"))).StatusCode == 503,
                TimeSpan.FromSeconds(20)), Is.True, $"/health reports the full disk\n{hub.Log}");
            await Task.Delay(3000); // several polls while the disk stays full
            Assert.That(Directory.GetFiles(drop), Has.Length.EqualTo(files), "no source removed while nothing could be stored");
            Assert.That(CountOf(hub.Log, "Intake paused"), Is.EqualTo(1), $"the condition is logged once, not per file per poll\n{hub.Log}");
            Assert.That(CountOf(hub.Log, "cannot pick up"), Is.EqualTo(0), hub.Log);

            File.Delete(filler);
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(Delivered(deliver).Length >= files && Directory.GetFiles(drop).Length == 0),
                TimeSpan.FromSeconds(30)), Is.True, $"delivered {Delivered(deliver).Length} of {files}\n{hub.Log}");
            await Task.Delay(1500);
            var delivered = Delivered(deliver);
            Assert.That(delivered, Has.Length.EqualTo(files), "each file exactly once");
            var byName = delivered.ToDictionary(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-', StringComparison.Ordinal) + 1)..], File.ReadAllBytes);
            Assert.That(byName.Keys, Is.EquivalentTo(expected.Keys));
            foreach (var (name, content) in expected)
            {
                Assert.That(byName[name], Is.EqualTo(content), name);
            }
            Assert.That((int)(await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/health"))).StatusCode, Is.EqualTo(200), "health recovers");
            Assert.That(CountOf(hub.Log, "Intake resumed"), Is.EqualTo(1), hub.Log);
            var statuses = (await hub.MessagesAsync()).Select(m => m!["message"]!["status"]!.GetValue<string>()).ToList();
            Assert.That(statuses, Has.Count.EqualTo(files).And.All.EqualTo("Delivered"), string.Join(", ", statuses));
            await hub.KillAsync();
        }
        finally
        {
            TempFolder.Delete(outside);
        }
    }

    private static int CountOf(string log, string text) => log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private static string[] Delivered(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray() : [];
}
