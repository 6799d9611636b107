namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Issue 15's REST API quality on a real hub: the message list pages with a cursor (X-Next-Cursor, Link rel=next)
/// and a total (X-Total-Count), filters by direction and date, payloads and acknowledgements are linked, and a bulk
/// replay needs the confirmed count.
/// </summary>
[NonParallelizable]
public sealed class MessageListApiTests
{
    private static async Task<(JsonArray Items, long Total, string? Next, string? Link)> PageAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {body}");
        var total = long.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var next = response.Headers.TryGetValues("X-Next-Cursor", out var cursors) ? cursors.Single() : null;
        var link = response.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
        return (JsonNode.Parse(body)!.AsArray(), total, next, link);
    }

    [Test]
    public async Task Messages_page_with_a_cursor_and_a_total_filter_by_direction_and_date_and_link_their_acknowledgements()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), $"page-{i}.edi"), TestDocuments.Cusdec($"REFPAGE{i}", recipient: "NOWHERE"));
        }
        using var http = await hub.ClientAsync("operator");
        Assert.That(await HubProcess.EventuallyAsync(async () => (await PageAsync(http, "/api/messages?status=Rejected")).Total == 5, TimeSpan.FromSeconds(20)), Is.True, hub.Log);

        var seen = new List<string>();
        var (items, total, next, link) = await PageAsync(http, "/api/messages?status=Rejected&limit=2");
        Assert.That(total, Is.EqualTo(5));
        Assert.That(items, Has.Count.EqualTo(2));
        Assert.That(link, Does.Contain("status=Rejected").And.Contain("limit=2").And.Contain("cursor=").And.Contain("rel=\"next\""));
        seen.AddRange(items.Select(m => m!["id"]!.GetValue<string>()));
        while (next is not null)
        {
            (items, total, next, _) = await PageAsync(http, $"/api/messages?status=Rejected&limit=2&cursor={next}");
            Assert.That(total, Is.EqualTo(5), "the total counts every page");
            seen.AddRange(items.Select(m => m!["id"]!.GetValue<string>()));
        }
        Assert.That(seen, Has.Count.EqualTo(5).And.Unique, "every message once across the pages");

        // The hub's replies (APERAKs to CN) are the outbound direction and link back to what they answer.
        var outbound = await PageAsync(http, "/api/messages?direction=outbound");
        Assert.That(outbound.Total, Is.EqualTo(5), "one APERAK per rejected message");
        Assert.That(outbound.Items.Select(m => m!["relatedMessageId"]!.GetValue<string>()), Is.EquivalentTo(seen));
        Assert.That((await PageAsync(http, "/api/messages?direction=inbound")).Total, Is.EqualTo(5));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That((await PageAsync(http, $"/api/messages?status=Rejected&from={today}&to={today}")).Total, Is.EqualTo(5));
        Assert.That((await PageAsync(http, "/api/messages?status=Rejected&to=2000-01-01")).Total, Is.EqualTo(0));

        var page = await http.GetStringAsync(new Uri($"/messages/{seen[0]}", UriKind.Relative));
        Assert.That(page, Does.Contain("class=acknowledgement").And.Contain("APERAK"), "the message links to its acknowledgement");
        Assert.That(page, Does.Contain("payload-original"));
        var payloads = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/messages/{seen[0]}/payloads", UriKind.Relative)))!.AsArray();
        var original = payloads.Single(p => p!["kind"]!.GetValue<string>() == "original")!["hash"]!.GetValue<string>();
        var bytes = await http.GetByteArrayAsync(new Uri($"/api/messages/{seen[0]}/payloads/{original}", UriKind.Relative));
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes), Does.Contain("REFPAGE"));
        using var missing = await http.GetAsync(new Uri($"/api/messages/{seen[0]}/payloads/{new string('0', 64)}", UriKind.Relative));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        // Bulk replay: without the confirmed count nothing happens; with it, every selected message is replayed.
        using var unconfirmed = await http.PostAsync(new Uri("/api/messages/replay?status=Rejected", UriKind.Relative), null);
        Assert.That(unconfirmed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await unconfirmed.Content.ReadAsStringAsync(), Does.Contain("confirm=5"));
        using var wrong = await http.PostAsync(new Uri("/api/messages/replay?status=Rejected&confirm=4", UriKind.Relative), null);
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a count that is not the selected one is asked again");
        using var confirmed = await http.PostAsync(new Uri("/api/messages/replay?status=Rejected&confirm=5", UriKind.Relative), null);
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        Assert.That(JsonNode.Parse(await confirmed.Content.ReadAsStringAsync())!["replayed"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/messages/{seen[0]}", UriKind.Relative)))!["events"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "rejected") == 2,
            TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        using var admin = await hub.ClientAsync();
        var audit = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/audit?action=bulk-replay", UriKind.Relative)))!;
        Assert.That(audit["events"]!.AsArray().Single()!["detail"]!.GetValue<string>(), Does.Contain("5 of 5 messages replayed").And.Contain("status=Rejected"));
    }

    [Test]
    public async Task Bad_values_on_every_list_endpoint_are_400_naming_the_parameter_and_unknown_ids_404()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var http = await hub.ClientAsync();
        foreach (var (url, parameter) in new[]
                 {
                     ("/api/messages?direction=sideways", "direction"), ("/api/messages?cursor=%%%", "cursor"), ("/api/messages?from=yesterday", "from"),
                     ("/api/messages?limit=-1", "limit"), ("/api/partners?limit=abc", "limit"), ("/api/routes?cursor=99", "cursor"),
                     ("/api/audit?limit=0", "limit"), ("/api/documents?cursor=x", "cursor"), ("/api/mappings?limit=0", "limit"), ("/api/audit?from=31/01/2024", "from"), ("/api/messages/replay?status=Nope", "status"),
                 })
        {
            using var response = url.Contains("replay", StringComparison.Ordinal)
                ? await http.PostAsync(new Uri(url, UriKind.Relative), null)
                : await http.GetAsync(new Uri(url, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{url}: {body}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), url);
            var problem = JsonNode.Parse(body)!;
            Assert.That(problem["parameter"]!.GetValue<string>(), Is.EqualTo(parameter), url);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("use "), url);
        }
        var partners = await PageAsync(http, "/api/partners?limit=1");
        Assert.That((partners.Items.Count, partners.Total, partners.Next), Is.EqualTo((1, 2L, "1")));
        Assert.That((await PageAsync(http, "/api/partners?cursor=1")).Items.Single()!["partner"]!.GetValue<string>(), Is.EqualTo("TH"));
        foreach (var url in new[] { "/api/messages/nope/payloads", "/api/messages/nope/resend", "/api/messages/nope/retry" })
        {
            using var response = url.EndsWith("payloads", StringComparison.Ordinal)
                ? await http.GetAsync(new Uri(url, UriKind.Relative))
                : await http.PostAsync(new Uri(url, UriKind.Relative), null);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), url);
            Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Does.Contain("'nope'"), url);
        }
    }
}
