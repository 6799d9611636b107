using System.Net.Http.Json;
using CrossBorderHub.Host.Tests.EndToEnd;

namespace CrossBorderHub.Host.Tests.Mappings;

/// <summary>
/// The mapping editor's API on a running hub: an edit that does not load is refused with its line and nothing is
/// written; a trial run shows the output and its findings; a correct edit saved as a new version maps the next message.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MappingEditorApiTests
{
    internal const string Name = "sps-to-ephyto-envelope";

    /// <summary>The stylesheet with the From element renamed: what the tests look for in the next delivered envelope.</summary>
    internal static string Renamed(string rules) => rules.Replace("<env:From>", "<env:Origin>", StringComparison.Ordinal).Replace("</env:From>", "</env:Origin>", StringComparison.Ordinal);

    /// <summary>An element opened and never closed on the line of env:To: the XSLT loader names that line.</summary>
    internal static (string Rules, int Line) Broken(string rules)
    {
        var lines = rules.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("<env:To>", StringComparison.Ordinal));
        lines[line] = lines[line].Replace("</env:To>", "</env:Too>", StringComparison.Ordinal);
        return (string.Join('\n', lines), line + 1);
    }

    [Test]
    public async Task An_edit_that_does_not_load_is_refused_with_its_line_a_run_shows_output_and_findings_and_a_saved_version_maps_the_next_message()
    {
        await using var hub = MappedRouteHub.Create(new JsonArray(MappedRouteHub.Route("envelopes to Thailand", "CN", Name, "TH")), out var mappings);
        await hub.StartAsync();
        using var http = await hub.ClientAsync();
        var source = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/mappings/{Name}", UriKind.Relative)))!;
        Assert.That((source["version"]!.GetValue<string>(), source["rulesFile"]!.GetValue<string>()), Is.EqualTo(("1.0", "envelope.xsl")));
        var rules = source["rules"]!.GetValue<string>();
        var onDisk = await File.ReadAllTextAsync(Path.Combine(mappings, Name, "envelope.xsl"));

        var (broken, line) = Broken(rules);
        using (var refused = await http.PutAsJsonAsync(new Uri($"/api/mappings/{Name}", UriKind.Relative), new { rules = broken, version = "1.1" }))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            var errors = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!.AsArray();
            Assert.That(errors.Select(e => (e!["file"]!.GetValue<string>(), e["line"]!.GetValue<int>())), Does.Contain(("envelope.xsl", line)), errors.ToJsonString());
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(mappings, Name, "envelope.xsl")), Is.EqualTo(onDisk), "nothing written");
        using (var sameVersion = await http.PutAsJsonAsync(new Uri($"/api/mappings/{Name}", UriKind.Relative), new { rules = Renamed(rules), version = "1.0" }))
        {
            Assert.That(sameVersion.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "a save is a new version");
        }

        var run = JsonNode.Parse(await (await http.PostAsJsonAsync(new Uri($"/api/mappings/{Name}/run", UriKind.Relative),
            new { rules = Renamed(rules), sample = MappedRouteHub.Certificate("CN-PC-2026-EDIT01") })).Content.ReadAsStringAsync())!;
        Assert.That(run["errors"]!.AsArray(), Is.Empty);
        Assert.That(run["output"]!.GetValue<string>(), Does.Contain("<env:Origin>").And.Contain("CN-PC-2026-EDIT01"));
        Assert.That(run["validation"]!.AsArray(), Is.Empty, run.ToJsonString());
        var notSps = JsonNode.Parse(await (await http.PostAsJsonAsync(new Uri($"/api/mappings/{Name}/run", UriKind.Relative),
            new { sample = "<other/>" })).Content.ReadAsStringAsync())!;
        Assert.That(notSps["mappingFindings"]!.AsArray().Single()!.GetValue<string>(), Does.Contain("not an SPS certificate"));
        using (var viewer = await hub.ClientAsync("viewer"))
        using (var denied = await viewer.PutAsJsonAsync(new Uri($"/api/mappings/{Name}", UriKind.Relative), new { rules = Renamed(rules), version = "1.1" }))
        {
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        using (var saved = await http.PutAsJsonAsync(new Uri($"/api/mappings/{Name}", UriKind.Relative), new { rules = Renamed(rules), version = "1.1" }))
        {
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(mappings, Name, "mapping.json")), Does.Contain("\"version\": \"1.1\""));
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "after-edit.xml"), MappedRouteHub.Certificate("CN-PC-2026-EDIT02"));
        var (message, events) = await MappedRouteHub.MessageAsync(hub, "after-edit.xml", "Delivered");
        Assert.That(await File.ReadAllTextAsync(hub.DeliveredFiles("TH").Single()), Does.Contain("<env:Origin>CN</env:Origin>"));
        Assert.That(MappedRouteHub.Details(events, "mapped").Single(), Does.StartWith($"mapping {Name} version 1.1 "));
        var audit = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/audit", UriKind.Relative)))!["events"]!.AsArray();
        Assert.That(audit.Single(e => e!["action"]!.GetValue<string>() == "mapping-save")!["detail"]!.GetValue<string>(), Does.Contain("version 1.0 -> 1.1"));

        // A stored message as the sample.
        var stored = JsonNode.Parse(await (await http.PostAsJsonAsync(new Uri($"/api/mappings/{Name}/run", UriKind.Relative),
            new { messageId = message["id"]!.GetValue<string>() })).Content.ReadAsStringAsync())!;
        Assert.That(stored["output"]!.GetValue<string>(), Does.Contain("CN-PC-2026-EDIT02"));
    }
}
