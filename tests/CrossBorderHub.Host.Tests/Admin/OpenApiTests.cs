namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>The OpenAPI document of the admin API: served on the admin port only, behind the login, and describing the real endpoints.</summary>
[NonParallelizable]
public sealed class OpenApiTests
{
    [Test]
    public async Task The_openapi_document_is_json_listing_the_api_operations_on_the_admin_port_only()
    {
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["As2"] = new JsonObject { ["Id"] = "XBHUB", ["Url"] = $"http://127.0.0.1:{FreePort.Next()}" } } });
        await hub.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.AdminPort}") };
        Assert.That((await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "behind the login like the API");
        using var http = await hub.ClientAsync("viewer");

        using var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var document = JsonNode.Parse(text)!;
        Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3."));
        Assert.That(document["info"]!["title"]!.GetValue<string>(), Is.EqualTo("CrossBorderHub admin API"));
        var paths = document["paths"]!.AsObject();
        Assert.That(paths.Select(p => p.Key), Is.SupersetOf(new[]
        {
            "/api/messages", "/api/messages/{id}", "/api/messages/{id}/replay", "/api/messages/{id}/resend", "/api/messages/{id}/retry", "/api/messages/replay",
            "/api/messages/{id}/payloads", "/api/audit", "/api/alerts", "/api/partners", "/api/routes", "/api/documents", "/api/stats",
        }));
        Assert.That(paths.Select(p => p.Key), Has.None.EqualTo("/").And.None.EqualTo("/messages/{id}").And.None.EqualTo("/openapi/{documentName}.json"), "pages are not API operations");
        var list = paths["/api/messages"]!["get"]!;
        Assert.That(list["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("Messages"));
        Assert.That(list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()),
            Is.SupersetOf(new[] { "status", "partner", "type", "q", "direction", "from", "to", "limit", "cursor" }));
        Assert.That(paths["/api/messages/{id}/replay"]!["post"], Is.Not.Null);
        Assert.That(paths["/api/audit"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Is.SupersetOf(new[] { "user", "action", "q", "from", "to", "cursor" }));

        // Not on the AS2 listener.
        var as2 = JsonNode.Parse(await File.ReadAllTextAsync(hub.ConfigPath))!["Hub"]!["As2"]!["Url"]!.GetValue<string>();
        using var other = new HttpClient { BaseAddress = new Uri(as2) };
        other.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        Assert.That((await other.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
