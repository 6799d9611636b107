namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>The other alert rules on a real hub: a rejection rate, a failing inbound channel and an expiring certificate, shown by /api/alerts and /alerts.</summary>
[NonParallelizable]
public sealed class AlertRuleTests
{
    [Test]
    public async Task Rejections_above_the_rate_a_failing_channel_and_a_certificate_within_its_window_raise_alerts_and_a_fixed_channel_clears()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Alerts"] = new JsonObject
                {
                    ["Interval"] = "00:00:00.500",
                    ["DeadLetters"] = false,
                    ["Rejections"] = new JsonObject { ["Count"] = 2, ["Window"] = "01:00:00" },
                    ["ChannelFailingFor"] = "00:00:01",
                    // The generated development certificate is valid for years: a window of a century covers it.
                    ["CertificateExpiresWithinDays"] = 36500,
                },
            },
        });
        await hub.StartAsync();
        using var http = await hub.ClientAsync("viewer");
        async Task<JsonArray> OpenAsync() => new(JsonNode.Parse(await http.GetStringAsync(new Uri("/api/alerts", UriKind.Relative)))!["alerts"]!.AsArray()
            .Where(a => a!["clearedAt"] is null).Select(a => a!.DeepClone()).ToArray());

        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "r1.edi"), TestDocuments.Cusdec("REFRATE1", recipient: "NOWHERE"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await OpenAsync()).Any(a => a!["rule"]!.GetValue<string>() == "certificate-expiry"), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        Assert.That((await OpenAsync()).Single(a => a!["rule"]!.GetValue<string>() == "certificate-expiry")!["summary"]!.GetValue<string>(), Does.Contain("the hub (Hub:Identity)"));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.That((await OpenAsync()).Select(a => a!["rule"]!.GetValue<string>()), Has.None.EqualTo("rejections"), "one rejection is below the rate of 2");

        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "r2.edi"), TestDocuments.Cusdec("REFRATE2", recipient: "NOWHERE"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await OpenAsync()).Any(a => a!["rule"]!.GetValue<string>() == "rejections"), TimeSpan.FromSeconds(20)), Is.True, hub.Log);

        // TH's inbound folder becomes a file: every poll fails; after ChannelFailingFor the channel alerts.
        var drop = hub.Drop("TH");
        Directory.Delete(drop, recursive: true);
        await File.WriteAllTextAsync(drop, "not a folder");
        Assert.That(await HubProcess.EventuallyAsync(async () => (await OpenAsync()).Any(a => a!["key"]!.GetValue<string>() == "channel:TH"), TimeSpan.FromSeconds(20)), Is.True, hub.Log);
        var page = await http.GetStringAsync(new Uri("/alerts", UriKind.Relative));
        Assert.That(page, Does.Contain("Partner TH&#39;s inbound channel has failed since").Or.Contain("Partner TH's inbound channel has failed since"));

        File.Delete(drop);
        Directory.CreateDirectory(drop);
        Assert.That(await HubProcess.EventuallyAsync(async () => (await OpenAsync()).All(a => a!["key"]!.GetValue<string>() != "channel:TH"), TimeSpan.FromSeconds(20)), Is.True,
            "a successful poll clears it\n" + hub.Log);
    }
}
