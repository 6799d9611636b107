using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Issue 15 in a real browser: an operator replays a dead letter with the message page's button; the dashboard shows its alert until then.</summary>
[TestFixture]
[NonParallelizable]
public sealed class MessageActionBrowserTests
{
    [Test]
    public async Task An_operator_replays_a_dead_letter_with_the_button_and_it_is_delivered()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Delivery"] = new JsonObject { ["MaxAttempts"] = 2, ["InitialBackoff"] = "00:00:00.100", ["MaxBackoff"] = "00:00:00.100" },
                ["Alerts"] = new JsonObject { ["Interval"] = "00:00:00.500" },
            },
        });
        await hub.StartAsync();
        var deliver = hub.Deliver("TH");
        Directory.Delete(deliver, recursive: true);
        await File.WriteAllTextAsync(deliver, "not a folder");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "button.edi"), TestDocuments.Cusdec("REFBUTTON"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await hub.MessagesAsync()).Any(m => m!["message"]!["status"]!.GetValue<string>() == "DeadLettered"),
            TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        var id = (await hub.MessagesAsync()).Single(m => m!["message"]!["status"]!.GetValue<string>() == "DeadLettered")!["message"]!["id"]!.GetValue<string>();
        await hub.AddUserAsync("olga", "operator", "olga-password-1");
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();
        browser.Open(admin + "/");
        browser.LogIn(admin, "olga", "olga-password-1");
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(browser.Open(admin + "/?status=DeadLettered").Contains("is dead-lettered", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10)), Is.True, "the dashboard shows the open alert");
        Assert.That(browser.Driver.FindElement(By.Id("alert-banner")).Text, Does.Contain(id));
        Assert.That(browser.Driver.FindElement(By.Id("messages")).Text, Does.Contain("button.edi"));

        File.Delete(deliver);
        browser.Open($"{admin}/messages/{id}");
        Assert.That(browser.Driver.FindElements(By.Id("resend")), Is.Empty, "only the buttons that apply");
        browser.ClickAndWait(By.Id("replay"));
        Assert.That(browser.WaitFor("done").Text, Does.Contain("replay: 1 failed deliveries queued again"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        Assert.That(browser.Open($"{admin}/messages/{id}"), Does.Contain("Delivered"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(browser.Open(admin + "/").Contains("No open alerts", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)),
            Is.True, "the alert cleared");
        using var audit = await hub.ClientAsync();
        var events = JsonNode.Parse(await audit.GetStringAsync(new Uri("/api/audit?user=olga&action=replay", UriKind.Relative)))!;
        Assert.That(events["total"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(events["events"]![0]!["detail"]!.GetValue<string>(), Does.Contain(id));
    }
}
