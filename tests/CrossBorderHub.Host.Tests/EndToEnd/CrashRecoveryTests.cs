namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Power cuts: the hub is SIGKILLed again and again while a batch is picked up and delivered, and restarted.
/// Every dropped file must arrive exactly once — none lost, none twice.
/// </summary>
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    [Test]
    public async Task Every_file_is_delivered_exactly_once_across_repeated_sigkills()
    {
        const int files = 60;
        await using var hub = new HubProcess(new System.Text.Json.Nodes.JsonObject
        {
            ["Hub"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Partners"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["CN"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["Inbound"] = new System.Text.Json.Nodes.JsonObject { ["Type"] = "folder", ["Path"] = "drop/CN", ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00" },
                    },
                },
            },
        });
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < files; i++)
        {
            var content = TestDocuments.Cusdec($"CRASH{i:D4}");
            expected[$"batch-{i:D4}.edi"] = content;
            await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), $"batch-{i:D4}.edi"), content);
        }

        var random = new Random(20261123);
        for (var round = 0; round < 5; round++)
        {
            await hub.StartAsync();
            await Task.Delay(random.Next(150, 900));
            await hub.KillAsync();
        }
        await hub.StartAsync();
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= files && Directory.GetFiles(hub.Drop("CN")).Length == 0),
            TimeSpan.FromSeconds(60)), Is.True, $"delivered {hub.DeliveredFiles("TH").Length} of {files}\n{hub.Log}");
        // Give a wrongly repeated delivery the time to show up before counting.
        await Task.Delay(2000);

        var delivered = hub.DeliveredFiles("TH");
        Assert.That(delivered, Has.Length.EqualTo(files), "each file exactly once");
        var byOriginalName = delivered.ToDictionary(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-', StringComparison.Ordinal) + 1)..], File.ReadAllBytes);
        Assert.That(byOriginalName.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (name, content) in expected)
        {
            Assert.That(byOriginalName[name], Is.EqualTo(content), name);
        }
        var messages = await hub.MessagesAsync();
        var statuses = messages.Select(m => m!["message"]!["status"]!.GetValue<string>()).ToList();
        Assert.That(statuses.Count(s => s == "Delivered"), Is.EqualTo(files), string.Join(", ", statuses));
        Assert.That(statuses.Where(s => s != "Delivered"), Is.All.EqualTo("Duplicate"), "a file taken again after a kill is only ever recorded as a duplicate");
    }
}
