namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>
/// The admin's /documents search, /documents/{id} detail with its chain, and /statistics page, on a running hub:
/// found by number and state, paged, linked to the messages; bad values answered with a 400 naming them.
/// </summary>
[NonParallelizable]
public sealed class DocumentPagesTests
{
    [Test]
    public async Task The_documents_page_finds_a_dropped_cusdec_and_its_detail_shows_the_chain_and_the_duplicate()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co.xml"), TestDocuments.CertificateOfOrigin("CO-PAGE-1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec.edi"), TestDocuments.Cusdec("DECPAGE1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 2), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        // The same certificate again under another file name: a business duplicate, linked from the first one's detail.
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co-again.xml"), [.. TestDocuments.CertificateOfOrigin("CO-PAGE-1"), .. "\n<!-- sent again -->\n"u8]);
        using var http = await hub.ClientAsync("viewer");
        async Task<string> PageAsync(string url) => await http.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await PageAsync("/documents?status=Duplicate")).Contains("CO-PAGE-1", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), Is.True, hub.Log);

        // As the form sends it: every field, the unused ones empty.
        var list = await PageAsync("/documents?number=DECPAGE1&type=&country=&from=&to=&status=");
        Assert.That(list, Does.Contain("CUSDEC/830").And.Contain("CN → ").And.Not.Contain("CO-PAGE-1"));
        var id = System.Text.RegularExpressions.Regex.Match(list, "href='/documents/(\\d+)'").Groups[1].Value;
        var detail = await PageAsync($"/documents/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(detail, Does.Contain("<td id=document-state class='Delivered'>Delivered</td>"));
            Assert.That(detail, Does.Match("<tr id='step-received' class='ok'>"), "received");
            Assert.That(detail, Does.Match("<tr id='step-validated' class='ok'>"), "validated (routed)");
            Assert.That(detail, Does.Match("<tr id='step-delivered' class='ok'>"), "delivered");
            Assert.That(detail, Does.Match("<tr id='step-acknowledged' class=''>"), "no acknowledgement came back");
            Assert.That(detail, Does.Contain("href='/messages/"), "the chain links to its message");
        });

        var certificates = await PageAsync("/documents?number=CO-PAGE-1&status=Delivered");
        var first = System.Text.RegularExpressions.Regex.Match(certificates, "href='/documents/(\\d+)'").Groups[1].Value;
        var firstDetail = await PageAsync($"/documents/{first}");
        Assert.That(firstDetail, Does.Contain("a copy received again (duplicate)").And.Contain("class='Duplicate'"));
        Assert.That(await PageAsync("/documents?type=CUSDEC&country=cn&from=2026-11-23&to=2026-11-23"), Does.Contain("DECPAGE1"));
        Assert.That(await PageAsync("/documents?status=Cancelled"), Does.Contain("id=no-documents"));

        foreach (var (query, named) in new[] { ("status=Lost", "status 'Lost'"), ("from=23.11.2026", "from '23.11.2026'"), ("page=0", "page '0'"), ("country=Thailand", "country 'Thailand'") })
        {
            using var bad = await http.GetAsync(new Uri($"/documents?{query}", UriKind.Relative));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That(WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), Does.Contain(named + " is not valid"), query);
        }
        using var missing = await http.GetAsync(new Uri("/documents/999999", UriKind.Relative));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_statistics_page_carries_its_charts_script_and_a_csv_with_one_row_per_group()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co.xml"), TestDocuments.CertificateOfOrigin("CO-CHART-1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec.edi"), TestDocuments.Cusdec("DECCHART1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 2), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        using var http = await hub.ClientAsync("viewer");
        var page = await http.GetStringAsync(new Uri("/statistics?period=day&from=&to=", UriKind.Relative));
        Assert.That(page, Does.Contain("<canvas id=chart-country>").And.Contain("<canvas id=chart-type>")
            .And.Contain("<script src='/static/vendor/chartjs/chart.umd.min.js' defer>").And.Contain("<script src='/static/js/statistics.js' defer>"));
        Assert.That(page, Does.Not.Contain("<script>"), "no inline script: the CSP forbids it");
        Assert.That(page, Does.Contain("CertificateOfOrigin").And.Contain("CUSDEC/830"), "the table by country and type");
        using var script = await http.GetAsync(new Uri("/static/js/statistics.js", UriKind.Relative));
        Assert.That((script.StatusCode, script.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "text/javascript")));

        var csvLink = System.Text.RegularExpressions.Regex.Match(page, "id=csv href='([^']+)'").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        using var csv = await http.GetAsync(new Uri(csvLink, UriKind.Relative));
        Assert.That(csv.Content.Headers.ContentDisposition?.FileName, Does.Contain(".csv"), "a download");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("period,origin,destination,type,documents,"));
        Assert.That(lines, Has.Length.EqualTo(3), "a header and one row per group (two types from CN to TH)");

        using var bad = await http.GetAsync(new Uri("/statistics?period=year", UriKind.Relative));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), Does.Contain("period 'year' is not valid"));
    }
}
