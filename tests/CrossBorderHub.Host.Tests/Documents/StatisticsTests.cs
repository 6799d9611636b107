namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>GET /api/statistics (JSON and CSV) and `hub statistics` on a running hub; bad parameters are a 400 / exit 2 naming them.</summary>
[TestFixture]
[NonParallelizable]
public sealed class StatisticsTests
{
    [Test]
    public async Task Statistics_answer_in_json_and_csv_with_one_row_per_group_and_refuse_bad_parameters()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co1.xml"), TestDocuments.CertificateOfOrigin("CO-STAT-1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co2.xml"), TestDocuments.CertificateOfOrigin("CO-STAT-2"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec.edi"), TestDocuments.Cusdec("DECSTAT1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 3), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        using var http = await hub.ClientAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        JsonArray rows = [];
        Assert.That(await HubProcess.EventuallyAsync(async () =>
        {
            rows = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/statistics?by=country,type&period=day&from={today}&to={today}", UriKind.Relative)))!["rows"]!.AsArray();
            return rows.Sum(r => r!["delivered"]!.GetValue<long>()) == 3;
        }, TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var certificates = rows.Single(r => r!["type"]!.GetValue<string>() == "CertificateOfOrigin")!;
        Assert.Multiple(() =>
        {
            Assert.That(certificates["period"]!.GetValue<string>(), Is.EqualTo(today));
            Assert.That(certificates["origin"]!.GetValue<string>() + "->" + certificates["destination"]!.GetValue<string>(), Is.EqualTo("CN->TH"));
            Assert.That(certificates["documents"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(certificates["latencyMedianMs"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(certificates["latencyP95Ms"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(certificates["latencyMedianMs"]!.GetValue<double>()));
        });

        using var csv = await http.GetAsync(new Uri("/api/statistics?by=type&period=month&format=csv", UriKind.Relative));
        Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("period,type,documents,delivered,rejected,duplicates,latency_median_ms,latency_p95_ms,acknowledged_median_ms,acknowledged_p95_ms"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[1]), Is.EquivalentTo(new[] { "CUSDEC/830", "CertificateOfOrigin" }), "one row per group");

        foreach (var (query, parameter) in new[] { ("by=colour", "by"), ("period=year", "period"), ("from=03.12.2026", "from"), ("format=xlsx", "format") })
        {
            using var bad = await http.GetAsync(new Uri($"/api/statistics?{query}", UriKind.Relative));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That(JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["parameter"]!.GetValue<string>(), Is.EqualTo(parameter));
        }

        var cli = await hub.CliAsync("statistics", "--by", "type", "--period", "month", "--csv");
        Assert.That(cli.ExitCode, Is.EqualTo(0), cli.Error);
        Assert.That(cli.Output, Does.StartWith("period,type,documents").And.Contain("CertificateOfOrigin"));
        var text = await hub.CliAsync("statistics");
        Assert.That(text.Output, Does.Contain("CN->TH CertificateOfOrigin"));
        var usage = await hub.CliAsync("statistics", "--period", "fortnight");
        Assert.That(usage.ExitCode, Is.EqualTo(2));
        Assert.That(usage.Error, Does.Contain("--period 'fortnight' is not valid: use day, week or month"));
    }
}
