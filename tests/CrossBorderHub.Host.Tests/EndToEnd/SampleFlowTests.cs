namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>The README's promise: a document dropped by CN reaches TH byte for byte, and `hub messages` tells its story.</summary>
[NonParallelizable]
public sealed class SampleFlowTests
{
    [Test]
    public async Task An_interchange_for_THSW_dropped_by_CN_is_delivered_to_TH_byte_identical()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        var content = TestDocuments.Cusdec("REF0001");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "declaration.edi"), content);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(10)), Is.True, hub.Log);
        var delivered = hub.DeliveredFiles("TH").Single();
        Assert.That(await File.ReadAllBytesAsync(delivered), Is.EqualTo(content));
        Assert.That(Path.GetFileName(delivered), Does.EndWith("-declaration.edi"));
        Assert.That(Directory.GetFiles(hub.Drop("CN")), Is.Empty, "the source is removed once stored");

        JsonNode? entry = null;
        Assert.That(await HubProcess.EventuallyAsync(async () =>
        {
            entry = (await hub.MessagesAsync()).SingleOrDefault();
            return entry?["message"]?["status"]?.GetValue<string>() == "Delivered";
        }, TimeSpan.FromSeconds(10)), Is.True, entry?.ToJsonString());
        var message = entry!["message"]!;
        Assert.That(message["documentType"]!.GetValue<string>(), Is.EqualTo("CUSDEC"));
        Assert.That(message["sender"]!.GetValue<string>(), Is.EqualTo("CNSW"));
        Assert.That(message["recipient"]!.GetValue<string>(), Is.EqualTo("THSW"));
        Assert.That(message["controlReference"]!.GetValue<string>(), Is.EqualTo("REF0001"));
        var kinds = entry["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.That(kinds, Is.EqualTo(new[] { "received", "routed", "delivered", "status-delivered" }));
        Assert.That(entry["deliveries"]!.AsArray().Single()!["partner"]!.GetValue<string>(), Is.EqualTo("TH"));
    }

    [Test]
    public async Task An_xml_document_is_routed_by_its_destination_country()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        var content = TestDocuments.CertificateOfOrigin("CO-2026-0001");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "origin.xml"), content);

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(10)), Is.True, hub.Log);
        Assert.That(await File.ReadAllBytesAsync(hub.DeliveredFiles("TH").Single()), Is.EqualTo(content));
        var entry = (await hub.MessagesAsync()).Single()!;
        Assert.That(entry["message"]!["format"]!.GetValue<string>(), Is.EqualTo("Xml"));
        Assert.That(entry["events"]!.AsArray().Select(e => e!["detail"]!.GetValue<string>()), Has.Some.Contains("XML to Thailand"));
    }

    [Test]
    public async Task A_second_copy_of_the_same_interchange_is_recorded_as_duplicate_and_not_delivered_again()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "first.edi"), TestDocuments.Cusdec("REFDUP"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(10)), Is.True, hub.Log);
        // Same sender and reference, different bytes (a resend with a new date would look like this).
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "again.edi"), [.. TestDocuments.Cusdec("REFDUP"), (byte)'\n']);

        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await hub.MessagesAsync()).Any(m => m!["message"]!["status"]!.GetValue<string>() == "Duplicate"), TimeSpan.FromSeconds(10)), Is.True, hub.Log);
        var duplicate = (await hub.MessagesAsync()).Single(m => m!["message"]!["status"]!.GetValue<string>() == "Duplicate")!;
        Assert.That(duplicate["message"]!["reason"]!.GetValue<string>(), Does.Contain("REFDUP").And.Contain("already received"));
        Assert.That(hub.DeliveredFiles("TH"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Sigterm_stops_the_hub_cleanly()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        Assert.That(await hub.StopAsync(), Is.EqualTo(0), hub.Log);
    }
}
