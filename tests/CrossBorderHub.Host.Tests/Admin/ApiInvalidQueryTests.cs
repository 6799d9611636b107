namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Defect 9: the REST API ignored an invalid status and answered with every row. Every value it cannot honour is
/// now a 400 (an unknown id a 404) with an RFC 7807 problem body naming the parameter and the valid values.
/// </summary>
[NonParallelizable]
public sealed class ApiInvalidQueryTests
{
    private static async Task<JsonNode> ProblemAsync(HttpClient http, string url, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{url}: {body}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), url);
        var problem = JsonNode.Parse(body)!;
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo((int)expected), url);
        Assert.That(problem["title"]?.GetValue<string>(), Is.Not.Empty, url);
        return problem;
    }

    [Test]
    public async Task Api_messages_with_an_invalid_status_or_limit_is_400_with_a_problem_body_not_every_row()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "api.edi"), TestDocuments.Cusdec("REFBAD", recipient: "NOWHERE"));
        using var http = await hub.ClientAsync();
        Assert.That(await HubProcess.EventuallyAsync(async () =>
            JsonNode.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)))!["Rejected"]?.GetValue<long>() == 1, TimeSpan.FromSeconds(15)), Is.True, hub.Log);

        var status = await ProblemAsync(http, "/api/messages?status=Bogus", HttpStatusCode.BadRequest);
        Assert.That(status["detail"]!.GetValue<string>(), Does.Contain("status 'Bogus'").And.Contain("Rejected").And.Contain("Delivered"));
        Assert.That(status["parameter"]!.GetValue<string>(), Is.EqualTo("status"));
        await ProblemAsync(http, "/api/messages?status=3", HttpStatusCode.BadRequest);
        var limit = await ProblemAsync(http, "/api/messages?limit=abc", HttpStatusCode.BadRequest);
        Assert.That(limit["detail"]!.GetValue<string>(), Does.Contain("limit 'abc'").And.Contain("1 to 1000"));
        await ProblemAsync(http, "/api/messages?limit=0", HttpStatusCode.BadRequest);
        await ProblemAsync(http, "/api/messages?limit=-5", HttpStatusCode.BadRequest);
        await ProblemAsync(http, "/api/messages?offset=x", HttpStatusCode.BadRequest);

        // Valid values still work, paging included.
        Assert.That(JsonNode.Parse(await http.GetStringAsync(new Uri("/api/messages?status=rejected&limit=10", UriKind.Relative)))!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(JsonNode.Parse(await http.GetStringAsync(new Uri("/api/messages?status=rejected&offset=1", UriKind.Relative)))!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Api_unknown_message_id_is_404_with_a_problem_body()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var http = await hub.ClientAsync();

        var detail = await ProblemAsync(http, "/api/messages/no-such-id", HttpStatusCode.NotFound);
        Assert.That(detail["detail"]!.GetValue<string>(), Does.Contain("no-such-id"));
        await ProblemAsync(http, "/api/messages/no-such-id/content", HttpStatusCode.NotFound);
        using var replay = await http.PostAsync(new Uri("/api/messages/no-such-id/replay", UriKind.Relative), null);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(replay.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Cli_messages_with_an_unknown_status_is_one_line_listing_the_valid_statuses_and_exit_2()
    {
        await using var hub = new HubProcess();
        var result = await hub.CliAsync("messages", "--status", "Bogus");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("'Bogus'").And.Contain("Received").And.Contain("DeadLettered"));
        Assert.That(result.Error, Does.Not.Contain("   at "));

        // A number is not a status name (Enum.TryParse alone would take it and list whatever status 3 happens to be).
        var number = await hub.CliAsync("messages", "--status", "3");
        Assert.That(number.ExitCode, Is.EqualTo(2), number.Output + number.Error);
        Assert.That(number.Error, Does.Contain("'3'"));
    }
}
