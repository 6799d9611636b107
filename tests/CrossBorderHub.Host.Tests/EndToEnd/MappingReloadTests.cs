using CrossBorderHub.Core.Mapping;
using static CrossBorderHub.Host.Tests.EndToEnd.MappedRouteHub;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Mappings edited while `hub run` is up: a good edit applies to the next message (its events carry the new version
/// and hash), a broken edit leaves the last good version in force and says why (GET /api/mappings, `hub mappings`);
/// a route naming an unknown mapping, or a mapping that does not load, stops start-up with every error.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MappingReloadTests
{
    [Test]
    public async Task Editing_a_mapping_while_the_hub_runs_changes_the_next_message_and_a_broken_edit_keeps_the_last_good_version()
    {
        await using var hub = Create(new JsonArray(Route("envelopes to Thailand", "CN", "sps-to-ephyto-envelope", "TH")), out var mappings);
        await hub.StartAsync();
        var folder = Path.Combine(mappings, "sps-to-ephyto-envelope");
        var stylesheet = Path.Combine(folder, "envelope.xsl");
        var manifest = Path.Combine(folder, "mapping.json");

        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "first.xml"), Certificate("CN-PC-2026-000011"));
        var (_, first) = await MessageAsync(hub, "first.xml", "Delivered");
        var firstHash = MappingHash.Of(folder);
        Assert.That(Details(first, "mapped").Single(), Does.Contain($"version 1.0 (content sha256 {firstHash},"));

        // A good edit: a new header field and a new version, picked up without a restart.
        await File.WriteAllTextAsync(stylesheet, (await File.ReadAllTextAsync(stylesheet))
            .Replace("<env:Header>", "<env:Header><env:Forwarder>CrossBorderHub</env:Forwarder>", StringComparison.Ordinal));
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"1.0\"", "\"1.1\"", StringComparison.Ordinal));
        var secondHash = MappingHash.Of(folder);
        Assert.That(secondHash, Is.Not.EqualTo(firstHash));
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "second.xml"), Certificate("CN-PC-2026-000012"));
        var (second, secondEvents) = await MessageAsync(hub, "second.xml", "Delivered");
        Assert.That(Details(secondEvents, "mapped").Single(), Does.Contain($"mapping sps-to-ephyto-envelope version 1.1 (content sha256 {secondHash},"));
        var delivered = await File.ReadAllTextAsync(hub.DeliveredFiles("TH").Single(f => f.Contains(second["id"]!.GetValue<string>(), StringComparison.Ordinal)));
        Assert.That(delivered, Does.Contain("<env:Forwarder>CrossBorderHub</env:Forwarder>"));

        // A broken edit: the stylesheet no longer compiles. 1.1 stays in force, and the hub says why.
        await File.WriteAllTextAsync(stylesheet, (await File.ReadAllTextAsync(stylesheet)).Replace("<xsl:apply-templates select=\"rsm:SPSCertificate\"/>", "<xsl:apply-templates select=\"rsm:SPSCertificate[\"/>", StringComparison.Ordinal));
        JsonNode? entry = null;
        Assert.That(await HubProcess.EventuallyAsync(async () =>
        {
            var list = JsonNode.Parse(await (await GetAsync(hub, "/api/mappings")).Content.ReadAsStringAsync())!.AsArray();
            entry = list.Single(m => m!["name"]!.GetValue<string>() == "sps-to-ephyto-envelope");
            return entry!["state"]!.GetValue<string>() == "last-good";
        }, TimeSpan.FromSeconds(15)), Is.True, entry?.ToJsonString() + hub.Log);
        Assert.That(entry!["version"]!.GetValue<string>(), Is.EqualTo("1.1"));
        Assert.That(entry["contentHash"]!.GetValue<string>(), Is.EqualTo(secondHash));
        Assert.That(entry["lastError"]!.GetValue<string>(), Does.StartWith(stylesheet + ":").And.Contain("Fix:"));
        Assert.That(hub.Log, Does.Contain("the edit does not load; version 1.1"));
        var listed = await hub.CliAsync("mappings");
        Assert.That(listed.ExitCode, Is.EqualTo(2), listed.Output + listed.Error);
        Assert.That(listed.Output, Does.Contain("sps-to-ephyto-envelope").And.Contain("error: " + stylesheet + ":"));

        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "third.xml"), Certificate("CN-PC-2026-000013"));
        var (_, thirdEvents) = await MessageAsync(hub, "third.xml", "Delivered");
        Assert.That(Details(thirdEvents, "mapped").Single(), Does.Contain($"version 1.1 (content sha256 {secondHash},"));
    }

    [Test]
    public async Task A_route_naming_an_unknown_mapping_and_a_mapping_that_does_not_load_stop_start_up_with_every_error()
    {
        await using var hub = Create(new JsonArray(Route("nowhere", "CN", "no-such-mapping", "TH")), out var mappings);
        var broken = Directory.CreateDirectory(Path.Combine(mappings, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "mapping.json"), """{ "kind": "xslt", "source": { "format": "xml" }, "target": { "format": "json" }, "file": "x.xsl" }""");

        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var errors = result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Some.Contains("Hub:Routes:0 (nowhere):Mapping 'no-such-mapping' is not a mapping under").And.Contains("known: broken, ").And.Contains(", sps-to-ephyto-envelope"));
        var manifest = Path.Combine(broken, "mapping.json");
        Assert.That(errors, Has.Some.Contains($"Hub:Processing:MappingsPath: {manifest}:0:0: \"version\" is missing. Fix: add \"version\""));
        Assert.That(errors, Has.Some.Contains($"{manifest}:0:0: \"target.format\" is 'json'."));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }
}
