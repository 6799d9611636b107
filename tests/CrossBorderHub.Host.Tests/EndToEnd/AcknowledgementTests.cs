namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// CONTRL both ways: the hub answers an interchange that asks for one (UNB 0031 = 1) or that it rejects, through the
/// sender's channel; a CONTRL coming back from the recipient marks the original message Acknowledged.
/// </summary>
[NonParallelizable]
public sealed class AcknowledgementTests
{
    private static async Task<JsonNode> MessageAsync(HubProcess hub, string remoteName) =>
        (await hub.MessagesAsync()).Single(m => m!["message"]!["remoteName"]!.GetValue<string>() == remoteName)!["message"]!;

    [Test]
    public async Task A_requested_contrl_goes_back_to_the_sender_and_the_recipients_contrl_acknowledges_the_original()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        var interchange = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFACK")).Replace("+REFACK'UNH", "+REFACK++++1'UNH", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "asks-for-contrl.edi"), interchange);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1 && hub.DeliveredFiles("CN").Length == 1),
            TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var contrl = await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single());
        Assert.That(contrl, Does.Contain("CONTRL").And.Contain("UCI+REFACK+CNSW:ZZ+THSW:ZZ+7"));
        var check = await hub.CliAsync("validate", hub.DeliveredFiles("CN").Single());
        Assert.That(check.ExitCode, Is.EqualTo(0), check.Output + check.Error);

        // TH answers with its own CONTRL: the original becomes Acknowledged, and the CONTRL is passed on to CN.
        var answer = "UNA:+.? 'UNB+UNOC:3+THSW:ZZ+CNSW:ZZ+261123:1300+THACK01'UNH+1+CONTRL:D:3:UN'UCI+REFACK+CNSW:ZZ+THSW:ZZ+7'UNT+3+1'UNZ+1+THACK01'";
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("TH"), "contrl-from-th.edi"), answer);
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await MessageAsync(hub, "asks-for-contrl.edi"))["status"]!.GetValue<string>() == "Acknowledged", TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("CN").Length == 2), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var entry = (await hub.MessagesAsync()).Single(m => m!["message"]!["remoteName"]!.GetValue<string>() == "asks-for-contrl.edi")!;
        Assert.That(entry["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()), Does.Contain("acknowledgement-sent").And.Contain("acknowledged"));
    }

    [Test]
    public async Task A_rejected_interchange_is_answered_with_a_contrl_that_names_the_error()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        // BGM 1001 "999" is not in the D.96B code list: the codes level rejects it.
        var broken = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFBAD")).Replace("BGM+830+", "BGM+999+", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "bad-code.edi"), broken);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("CN").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var message = await MessageAsync(hub, "bad-code.edi");
        Assert.That(message["status"]!.GetValue<string>(), Is.EqualTo("Rejected"));
        Assert.That(message["reason"]!.GetValue<string>(), Does.Contain("BGM").And.Contain("12"));
        var contrl = await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single());
        Assert.That(contrl, Does.Contain("UCI+REFBAD+CNSW:ZZ+THSW:ZZ+4"));
        Assert.That(hub.DeliveredFiles("TH"), Is.Empty);
    }
}
