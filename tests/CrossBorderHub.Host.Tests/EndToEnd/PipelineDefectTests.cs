namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// The pipeline defects of issue 12, each as a user meets it through the real `hub` process: configuration that the
/// docs describe and start-up refused, and what the hub writes into the store and onto the wire for a CONTRL.
/// </summary>
[NonParallelizable]
public sealed class PipelineDefectTests
{
    /// <summary>The message's status, or null while the inbound channel has not taken the file yet.</summary>
    private static async Task<string?> StatusAsync(HubProcess hub, string remoteName) =>
        (await hub.MessagesAsync()).SingleOrDefault(m => m!["message"]!["remoteName"]!.GetValue<string>() == remoteName)?["message"]!["status"]!.GetValue<string>();

    [Test]
    public async Task A_partner_with_only_an_Outbound_channel_is_not_refused_at_start_up()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Partners"] = new JsonObject
                {
                    ["VN"] = new JsonObject
                    {
                        ["Country"] = "VN",
                        ["Identifiers"] = new JsonArray("VNSW"),
                        ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "deliver/VN" },
                    },
                },
                ["Routes"] = new JsonArray { new JsonObject { ["Name"] = "to Vietnam", ["Recipient"] = "VNSW", ["To"] = new JsonArray("VN") } },
            },
        });
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "to-vietnam.edi"), TestDocuments.Cusdec("REFVN1", recipient: "VNSW"));

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("VN").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        Assert.That(hub.Log, Does.Not.Contain("Inbound:Type is empty"));
    }

    [Test]
    public async Task Validation_none_is_accepted_at_start_up_and_routes_without_validating()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["Partners"] = new JsonObject { ["CN"] = new JsonObject { ["Validation"] = "none" } } },
        });
        await hub.StartAsync();
        // BGM 1001 "999" is not in the D.96B code list: rejected at `codes`, passed on at `none`.
        var unchecked_ = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFNONE")).Replace("BGM+830+", "BGM+999+", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "not-validated.edi"), unchecked_);

        Assert.That(await HubProcess.EventuallyAsync(async () => await StatusAsync(hub, "not-validated.edi") == "Delivered", TimeSpan.FromSeconds(15)),
            Is.True, hub.Log);
        Assert.That(await File.ReadAllTextAsync(hub.DeliveredFiles("TH").Single()), Is.EqualTo(unchecked_));
        var entry = (await hub.MessagesAsync()).Single(m => m!["message"]!["remoteName"]!.GetValue<string>() == "not-validated.edi")!;
        Assert.That(entry["events"]!.AsArray().Select(e => e!["detail"]!.GetValue<string>()),
            Has.Some.Contains("not validated").And.Contains("Hub:Partners:CN:Validation is none"));
    }

    [Test]
    public async Task A_contrl_the_hub_writes_is_stored_with_its_sender_recipient_and_control_reference()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        var interchange = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFSTORE")).Replace("+REFSTORE'UNH", "+REFSTORE++++1'UNH", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "wants-contrl.edi"), interchange);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("CN").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var contrl = (await hub.MessagesAsync()).Select(m => m!["message"]!).Single(m => m["documentType"]?.GetValue<string>() == "CONTRL");
        var wire = await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single());
        var reference = wire.Split('\'')[1].Split('+')[5];
        Assert.That(contrl["sender"]?.GetValue<string>(), Is.EqualTo("XBHUB"), contrl.ToJsonString());
        Assert.That(contrl["recipient"]?.GetValue<string>(), Is.EqualTo("CNSW"), contrl.ToJsonString());
        Assert.That(contrl["controlReference"]?.GetValue<string>(), Is.EqualTo(reference).And.Not.Empty, contrl.ToJsonString());
    }

    [Test]
    public async Task A_contrl_goes_out_under_Identity_EdifactId_not_as_the_recipient()
    {
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Identity"] = new JsonObject { ["EdifactId"] = "HUBTEST" } } });
        await hub.StartAsync();
        var interchange = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFID")).Replace("+REFID'UNH", "+REFID++++1'UNH", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "whose-contrl.edi"), interchange);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("CN").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var wire = await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single());
        // The hub acknowledges on its own behalf; UCI still names the interchange's sender and recipient.
        Assert.That(wire, Does.Contain("UNB+UNOC:3+HUBTEST+CNSW:ZZ+").And.Contain("UCI+REFID+CNSW:ZZ+THSW:ZZ+7"));
        Assert.That(wire, Does.Not.Contain("+THSW:ZZ+CNSW:ZZ+"));
    }
}
