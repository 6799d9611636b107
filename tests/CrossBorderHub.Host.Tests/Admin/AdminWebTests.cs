namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>The admin web as an admin sees it: logged in and rendered in headless Chromium (Selenium), and its REST API.</summary>
[NonParallelizable]
public sealed class AdminWebTests
{
    [Test]
    public async Task The_message_list_and_a_message_page_show_the_delivered_document_and_its_events()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "seen-in-browser.edi"), TestDocuments.Cusdec("REFWEB"));
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await hub.MessagesAsync()).Any(m => m!["message"]!["status"]!.GetValue<string>() == "Delivered"), TimeSpan.FromSeconds(15)), Is.True, hub.Log);

        await hub.AddUserAsync("web-admin", "admin", "web-admin-password");
        using var browser = new AdminBrowser();
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        browser.Open(admin + "/");
        var index = browser.LogIn(admin, "web-admin", "web-admin-password");
        Assert.That(index, Does.Contain("seen-in-browser.edi"));
        Assert.That(index, Does.Contain("<b id=\"count-Delivered\">1</b>"));
        Assert.That(index, Does.Contain("EDIFACT to Thailand"), "routes table");
        Assert.That(index, Does.Contain("CNSW"), "partners table");

        var id = (await hub.MessagesAsync()).Single()!["message"]!["id"]!.GetValue<string>();
        var page = browser.Open($"http://127.0.0.1:{hub.AdminPort}/messages/{id}");
        Assert.That(page, Does.Contain("REFWEB"));
        Assert.That(page, Does.Contain("status-delivered"));

        var search = browser.Open($"http://127.0.0.1:{hub.AdminPort}/?q=REFWEB");
        Assert.That(search, Does.Contain("seen-in-browser.edi"));
        var none = browser.Open($"http://127.0.0.1:{hub.AdminPort}/?q=NOTHING-LIKE-THIS");
        Assert.That(none, Does.Not.Contain("seen-in-browser.edi"));
    }

    [Test]
    public async Task The_rest_api_lists_messages_partners_routes_and_statistics()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "api.edi"), TestDocuments.Cusdec("REFAPI", recipient: "NOWHERE"));
        using var http = await hub.ClientAsync();
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            JsonNode.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)))!["Rejected"]?.GetValue<long>() == 1, TimeSpan.FromSeconds(15)), Is.True, hub.Log);

        var messages = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/messages?status=Rejected", UriKind.Relative)))!.AsArray();
        Assert.That(messages.Single()!["remoteName"]!.GetValue<string>(), Is.EqualTo("api.edi"));
        var id = messages.Single()!["id"]!.GetValue<string>();
        var detail = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/messages/{id}", UriKind.Relative)))!;
        Assert.That(detail["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "received", "rejected", "acknowledgement-sent" }), "unroutable: rejected, and an APERAK goes back to CN");
        var partners = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/partners", UriKind.Relative)))!.AsArray();
        Assert.That(partners.Select(p => p!["partner"]!.GetValue<string>()), Is.EquivalentTo(new[] { "CN", "TH" }));
        var routes = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/routes", UriKind.Relative)))!.AsArray();
        Assert.That(routes, Has.Count.EqualTo(3));
        Assert.That((await http.GetAsync(new Uri("/api/messages/unknown", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await http.GetByteArrayAsync(new Uri($"/api/messages/{id}/content", UriKind.Relative)), Is.EqualTo(TestDocuments.Cusdec("REFAPI", recipient: "NOWHERE")));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(Operations.PrometheusText.Value(metrics, "crossborderhub_messages", ("status", "Rejected")), Is.EqualTo(1), metrics);

        // Replay from the API: the rejected message is processed again (and rejected again, still no route).
        var replay = await http.PostAsync(new Uri($"/api/messages/{id}/replay", UriKind.Relative), null);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/messages/{id}", UriKind.Relative)))!["events"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "rejected") == 2,
            TimeSpan.FromSeconds(10)), Is.True, hub.Log);
    }
}
