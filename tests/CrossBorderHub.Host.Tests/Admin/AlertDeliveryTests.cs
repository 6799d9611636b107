namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Issue 15's alerts on a real hub: a dead letter is mailed to a real SMTP server (Debian's aiosmtpd) and POSTed to a
/// real HTTP listener, once while it stays dead-lettered, and a "cleared" notice follows its replay.
/// </summary>
[NonParallelizable]
public sealed class AlertDeliveryTests
{
    private static JsonObject Alerts(TestSmtpServer smtp, TestWebhook webhook) => new()
    {
        ["Hub"] = new JsonObject
        {
            ["Delivery"] = new JsonObject { ["MaxAttempts"] = 2, ["InitialBackoff"] = "00:00:00.100", ["MaxBackoff"] = "00:00:00.100" },
            ["Alerts"] = new JsonObject
            {
                ["Interval"] = "00:00:00.500",
                ["Email"] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = smtp.Port, ["From"] = "hub@example.test", ["To"] = new JsonArray("ops@example.test") },
                ["Webhook"] = new JsonObject { ["Url"] = webhook.Url },
            },
        },
    };

    [Test]
    public async Task A_dead_letter_is_mailed_and_posted_once_while_it_stays_and_its_replay_sends_a_cleared_notice()
    {
        using var smtp = await TestSmtpServer.StartAsync();
        using var webhook = new TestWebhook();
        await using var hub = new HubProcess(Alerts(smtp, webhook));
        await hub.StartAsync();
        // TH's delivery folder becomes a file: every delivery fails until it is a folder again.
        var deliver = hub.Deliver("TH");
        Directory.Delete(deliver, recursive: true);
        await File.WriteAllTextAsync(deliver, "not a folder");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dead.edi"), TestDocuments.Cusdec("REFALERT"));
        using var http = await hub.ClientAsync("operator");
        Assert.That(await HubProcess.EventuallyAsync(async () => JsonNode.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)))!["DeadLettered"]?.GetValue<long>() == 1,
            TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        var id = (await hub.MessagesAsync()).Single(m => m!["message"]!["status"]!.GetValue<string>() == "DeadLettered")!["message"]!["id"]!.GetValue<string>();

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(smtp.Messages().Count == 1 && webhook.Bodies.Count == 1), TimeSpan.FromSeconds(15)), Is.True,
            $"one mail and one webhook\n{smtp.Log}\n{hub.Log}");
        var mail = smtp.Messages().Single();
        Assert.That(mail, Does.Contain("To: ops@example.test").And.Contain("Subject: [CrossBorderHub] Alert: Message " + id).And.Contain("dead.edi"));
        var raised = webhook.Bodies.Single();
        Assert.That(raised["event"]!.GetValue<string>(), Is.EqualTo("raised"));
        Assert.That(raised["key"]!.GetValue<string>(), Is.EqualTo("dead-letter:" + id));
        Assert.That(raised["rule"]!.GetValue<string>(), Is.EqualTo("dead-letter"));

        // Many evaluations later (every 0.5 s), still exactly one of each.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.That(smtp.Messages(), Has.Count.EqualTo(1), "not repeated while it stays dead-lettered");
        Assert.That(webhook.Bodies, Has.Count.EqualTo(1));
        var alerts = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/alerts", UriKind.Relative)))!;
        Assert.That(alerts["open"]!.GetValue<int>(), Is.EqualTo(1), alerts.ToJsonString());
        Assert.That(alerts["alerts"]![0]!["key"]!.GetValue<string>(), Is.EqualTo("dead-letter:" + id));

        File.Delete(deliver);
        using var replay = await http.PostAsync(new Uri($"/api/messages/{id}/replay", UriKind.Relative), null);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replay.Content.ReadAsStringAsync());
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(smtp.Messages().Count == 2 && webhook.Bodies.Count == 2), TimeSpan.FromSeconds(20)), Is.True,
            $"a cleared notice by mail and webhook\n{hub.Log}");
        Assert.That(smtp.Messages()[1], Does.Contain("Subject: [CrossBorderHub] Cleared: Message " + id));
        var cleared = webhook.Bodies[1];
        Assert.That(cleared["event"]!.GetValue<string>(), Is.EqualTo("cleared"));
        Assert.That(cleared["clearedAt"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(hub.DeliveredFiles("TH"), Has.Length.EqualTo(1), "delivered after the replay");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(smtp.Messages(), Has.Count.EqualTo(2), "the cleared notice is sent once");
        alerts = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/alerts", UriKind.Relative)))!;
        Assert.That(alerts["open"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task An_unknown_alert_key_and_an_email_without_recipients_stop_start_up_with_the_fix()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Alerts"] = new JsonObject
                {
                    ["DeadLeters"] = true,
                    ["Email"] = new JsonObject { ["Host"] = "smtp.example.test", ["Port"] = "abc" },
                    ["Webhook"] = new JsonObject { ["Url"] = "not a url" },
                },
            },
        });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Hub:Alerts:DeadLeters").And.Contain("did you mean DeadLetters?"));
        Assert.That(result.Error, Does.Contain("Hub:Alerts:Email:Port is 'abc'"));
        Assert.That(result.Error, Does.Contain("Hub:Alerts:Email:To has no address"));
        Assert.That(result.Error, Does.Contain("Hub:Alerts:Webhook:Url is 'not a url'"));
    }
}
