namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>
/// Issue 16, first slice: a CUSDEC dropped on a running hub is found by its BGM number through `hub documents` and
/// GET /api/documents; a message without a number is still a document (empty number, warning event); bad search
/// values are refused naming them.
/// </summary>
[NonParallelizable]
public sealed class DocumentSearchTests
{
    [Test]
    public async Task A_dropped_cusdec_is_found_by_its_bgm_number_on_the_cli_and_the_api()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "decl.edi"), TestDocuments.Cusdec("DEC0001"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "nobgm.edi"), Encoding.ASCII.GetBytes(
            "UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+NOBGM1'UNH+9+CUSDEC:D:96B:UN'DTM+137:20261123:102'UNT+3+9'UNZ+1+NOBGM1'"));
        using var http = await hub.ClientAsync();
        async Task<JsonArray> GetAsync(string url) => JsonNode.Parse(await http.GetStringAsync(new Uri(url, UriKind.Relative)))!.AsArray();
        Assert.That(await HubProcess.EventuallyAsync(async () => (await GetAsync("/api/documents?type=CUSDEC")).Count == 2, TimeSpan.FromSeconds(20)), Is.True, hub.Log);

        var found = (await GetAsync("/api/documents?number=DEC0001")).Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(found["type"]!.GetValue<string>(), Is.EqualTo("CUSDEC/830"));
            Assert.That(found["function"]!.GetValue<string>(), Is.EqualTo("Original"));
            Assert.That(found["issuingCountry"]!.GetValue<string>(), Is.EqualTo("CN"), "NAD+DT 3207");
            Assert.That(found["issueDate"]!.GetValue<string>(), Is.EqualTo("2026-11-23"));
        });
        Assert.That(await GetAsync("/api/documents?country=CN&from=2026-11-23&to=2026-11-23"), Has.Count.EqualTo(1));
        Assert.That(await GetAsync("/api/documents?number=DEC9999"), Is.Empty);

        var noNumber = (await GetAsync("/api/documents?type=CUSDEC")).Single(d => d!["number"]!.GetValue<string>().Length == 0)!;
        var messageId = noNumber["messageId"]!.GetValue<string>();
        var events = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/messages/{messageId}", UriKind.Relative)))!.ToJsonString();
        Assert.That(events, Does.Contain("no document number (BGM 1004)"), "a warning event, not a rejection or a crash");

        using var bad = await http.GetAsync(new Uri("/api/documents?from=23.11.2026", UriKind.Relative));
        var problem = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["parameter"]!.GetValue<string>(), Is.EqualTo("from"));
        using var badCountry = await http.GetAsync(new Uri("/api/documents?country=China", UriKind.Relative));
        Assert.That(badCountry.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        // An XML document: the Form D's certificate number is where its pack's controlReference points.
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "formd.xml"), TestDocuments.CertificateOfOrigin("CO-2026-0042"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await GetAsync("/api/documents?number=CO-2026-0042")).Count == 1, TimeSpan.FromSeconds(20)), Is.True, hub.Log);
        var formD = (await GetAsync("/api/documents?number=CO-2026-0042")).Single()!;
        Assert.That(formD["issuingCountry"]!.GetValue<string>() + "->" + formD["destinationCountry"]!.GetValue<string>(), Is.EqualTo("CN->TH"));

        var cli = await hub.CliAsync("documents", "--number", "DEC0001");
        Assert.That(cli.ExitCode, Is.EqualTo(0), cli.Error);
        Assert.That(cli.Output, Does.Contain("DEC0001").And.Contain("CUSDEC/830").And.Contain("CN ->"));
        Assert.That(cli.Error, Does.Contain("1 document(s)"));
        var json = await hub.CliAsync("documents", "--number", "DEC0001", "--json");
        Assert.That(JsonNode.Parse(json.Output)!.AsArray().Single()!["messageId"]!.GetValue<string>(), Is.Not.Empty);
        var usage = await hub.CliAsync("documents", "--to", "tomorrow");
        Assert.That(usage.ExitCode, Is.EqualTo(2));
        Assert.That(usage.Error.Trim(), Does.Contain("--to 'tomorrow' is not valid").And.Contain("yyyy-MM-dd"));
    }
}
