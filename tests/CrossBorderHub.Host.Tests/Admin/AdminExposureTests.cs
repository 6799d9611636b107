namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Issue 11, defect 2: the admin web answers only on Hub:Admin:Url, never on the AS2 listener.</summary>
[NonParallelizable]
public sealed class AdminExposureTests
{
    [Test]
    public async Task The_admin_api_never_answers_on_the_as2_listener_and_refuses_foreign_hosts_and_cross_origin_posts()
    {
        var as2Port = FreePort.Next();
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["As2"] = new JsonObject { ["Id"] = "HUB", ["Url"] = $"http://0.0.0.0:{as2Port}" } },
        });
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "exposed.edi"), TestDocuments.Cusdec("REFEXPOSE"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await hub.MessagesAsync()).Count == 1, TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var id = (await hub.MessagesAsync()).Single()!["message"]!["id"]!.GetValue<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var authed = await hub.ClientAsync();
        var as2 = $"http://127.0.0.1:{as2Port}";
        var admin = $"http://127.0.0.1:{hub.AdminPort}";

        foreach (var path in new[] { "/", "/health", "/metrics", "/api/messages", $"/api/messages/{id}", $"/api/messages/{id}/content", $"/messages/{id}" })
        {
            Assert.That((await http.GetAsync(new Uri(as2 + path))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"GET {path} on the AS2 port");
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, as2 + path);
            spoofed.Headers.Host = $"127.0.0.1:{hub.AdminPort}";
            Assert.That((await http.SendAsync(spoofed)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"GET {path} on the AS2 port with the admin Host");
            var served = await authed.GetAsync(new Uri(admin + path));
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path} on the admin port");
            Assert.That(served.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(served.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
            Assert.That(served.Headers.GetValues("Referrer-Policy"), Is.EqualTo(new[] { "same-origin" }));
        }
        Assert.That((await http.PostAsync(new Uri($"{as2}/api/messages/{id}/replay"), null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "replay on the AS2 port");
        var as2Post = await http.PostAsync(new Uri($"{as2}/as2"), new ByteArrayContent("not AS2"u8.ToArray()));
        Assert.That(as2Post.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), "the AS2 endpoint still receives on its port");

        using var foreignHost = new HttpRequestMessage(HttpMethod.Get, admin + "/api/messages");
        foreignHost.Headers.Host = "attacker.example";
        Assert.That((await http.SendAsync(foreignHost)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "foreign Host");

        using var foreignOrigin = new HttpRequestMessage(HttpMethod.Post, $"{admin}/api/messages/{id}/replay");
        foreignOrigin.Headers.Add("Origin", "http://attacker.example");
        Assert.That((await http.SendAsync(foreignOrigin)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "foreign Origin");
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, $"{admin}/api/messages/{id}/replay");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.That((await http.SendAsync(crossSite)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "Sec-Fetch-Site cross-site");
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, $"{admin}/api/messages/{id}/replay");
        sameOrigin.Headers.Add("Origin", admin);
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.That((await authed.SendAsync(sameOrigin)).StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Conflict), "same origin reaches the replay");
    }

    [Test]
    public async Task A_non_loopback_admin_url_is_refused_at_start_up_with_one_line_and_exit_2()
    {
        var port = FreePort.Next();
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Admin"] = new JsonObject { ["Url"] = $"http://0.0.0.0:{port}" } } });
        var result = await hub.CliAsync("run");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Error);
        Assert.That(lines[0], Does.Contain("Hub:Admin:Url").And.Contain("127.0.0.1"));
    }
}
