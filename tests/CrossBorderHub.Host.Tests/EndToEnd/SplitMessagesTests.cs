using System.Globalization;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A route's SplitMessages: one interchange of three messages leaves as three interchanges, each valid, each with an
/// envelope and control reference of its own, under deterministic names; the parts are messages of the store
/// related to the original, and a CONTRL answering a part finds its way back to the original.
/// </summary>
[NonParallelizable]
public sealed class SplitMessagesTests
{
    private static string ThreeMessages(string reference)
    {
        var body = new StringBuilder($"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+{reference}'\r\n");
        for (var i = 1; i <= 3; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"UNH+{i}+CUSDEC:D:96B:UN'BGM+830+DEC{i}+9'DTM+137:20261123:102'")
                .Append("NAD+DT+++Shenzhen Export Co?+ Ltd+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'")
                .Append(CultureInfo.InvariantCulture, $"UNT+7+{i}'\r\n");
        }
        return body.Append(CultureInfo.InvariantCulture, $"UNZ+3+{reference}'\r\n").ToString();
    }

    [Test]
    public async Task SplitMessages_delivers_each_message_as_a_valid_interchange_of_its_own()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "split to Thailand", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH"), ["SplitMessages"] = true },
                    new JsonObject { ["Name"] = "EDIFACT to China", ["Recipient"] = "CNSW", ["To"] = new JsonArray("CN") },
                },
            },
        });
        await hub.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "three.edi"), ThreeMessages("REFSPLIT"));

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 3), TimeSpan.FromSeconds(20)), Is.True, hub.Log);
        var messages = (await hub.MessagesAsync()).Select(m => m!["message"]!).ToList();
        var original = messages.Single(m => m["remoteName"]!.GetValue<string>() == "three.edi");
        var originalId = original["id"]!.GetValue<string>();
        var files = hub.DeliveredFiles("TH");
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { 1, 2, 3 }.Select(i => $"{originalId}-00{i}of003-three.edi")));

        var references = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var text = await File.ReadAllTextAsync(files[i]);
            Assert.That(text, Does.Contain($"BGM+830+DEC{i + 1}+9'").And.Contain("UNH+").And.Contain("UNT+7+"));
            Assert.That(text.Split("UNH+").Length - 1, Is.EqualTo(1), text);
            var check = await hub.CliAsync("validate", files[i]);
            Assert.That(check.ExitCode, Is.EqualTo(0), check.Output + check.Error);
            var reference = text.Split('\'')[1].Split('+')[5];
            Assert.That(text, Does.Contain($"UNZ+1+{reference}'"));
            references.Add(reference);
        }
        Assert.That(references, Is.Unique.And.No.EqualTo("REFSPLIT"));

        var parts = messages.Where(m => m["relatedMessageId"]?.GetValue<string>() == originalId).ToList();
        Assert.That(parts, Has.Count.EqualTo(3));
        Assert.That(parts.Select(p => p["controlReference"]!.GetValue<string>()), Is.EquivalentTo(references));
        Assert.That(parts.Select(p => p["sender"]!.GetValue<string>()), Is.All.EqualTo("CNSW"));
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await hub.MessagesAsync()).Single(m => m!["message"]!["id"]!.GetValue<string>() == originalId)!["message"]!["status"]!.GetValue<string>() == "Delivered",
            TimeSpan.FromSeconds(15)), Is.True, hub.Log);

        // TH acknowledges the second part: that part is Acknowledged and the original records it.
        var answer = $"UNA:+.? 'UNB+UNOC:3+THSW:ZZ+CNSW:ZZ+261123:1300+THACK9'UNH+1+CONTRL:D:3:UN'UCI+{references[1]}+CNSW:ZZ+THSW:ZZ+7'UNT+3+1'UNZ+1+THACK9'";
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("TH"), "contrl-for-part-2.edi"), answer);
        var secondPart = parts.Single(p => p["controlReference"]!.GetValue<string>() == references[1])["id"]!.GetValue<string>();
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await hub.MessagesAsync()).Single(m => m!["message"]!["id"]!.GetValue<string>() == secondPart)!["message"]!["status"]!.GetValue<string>() == "Acknowledged",
            TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var events = (await hub.MessagesAsync()).Single(m => m!["message"]!["id"]!.GetValue<string>() == originalId)!["events"]!.AsArray();
        Assert.That(events.Select(e => e!["kind"]!.GetValue<string>()), Does.Contain("part-acknowledged").And.Contain("split"));
    }
}
