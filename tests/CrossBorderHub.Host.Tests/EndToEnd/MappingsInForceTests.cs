using static CrossBorderHub.Host.Tests.EndToEnd.MappedRouteHub;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// `hub mappings --config` beside a running hub shows what that hub has in force (it writes DataRoot/mappings-state.json
/// at every load result): an invalid edit is `last-good` with the version still running and the edit's errors, while
/// `--files` shows the files as the next start-up would load them; once the hub stops, the files are shown again.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MappingsInForceTests
{
    [Test]
    public async Task Hub_mappings_shows_the_running_hubs_versions_in_force_and_an_invalid_edit_as_last_good_with_its_error()
    {
        await using var hub = Create(new JsonArray(Route("envelopes to Thailand", "CN", "sps-to-ephyto-envelope", "TH")), out var mappings);
        await hub.StartAsync();

        var listed = await hub.CliAsync("mappings");
        Assert.That(listed.ExitCode, Is.EqualTo(0), listed.Output + listed.Error);
        Assert.That(listed.Output, Does.StartWith("In force in the running hub (pid "));
        var line = listed.Output.Split('\n').Single(l => l.StartsWith("cusdec-d96b-to-wco-dec ", StringComparison.Ordinal));
        Assert.That(line, Does.Contain(" 1.0 ").And.Contain("edifact:D96B/CUSDEC -> xml:wco-dec").And.EndWith("loaded"));
        Assert.That(listed.Output.Split('\n').Count(l => l.TrimEnd().EndsWith(" loaded", StringComparison.Ordinal)), Is.EqualTo(4));

        // An invalid edit (an element the WCO XSD does not have), with a new version number.
        var folder = Path.Combine(mappings, "cusdec-d96b-to-wco-dec");
        var rules = Path.Combine(folder, "rules.json");
        await File.WriteAllTextAsync(rules, (await File.ReadAllTextAsync(rules)).Replace("\"d:FunctionalReferenceID\"", "\"d:FunctionalReferenceId\"", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "mapping.json"), (await File.ReadAllTextAsync(Path.Combine(folder, "mapping.json"))).Replace("\"1.0\"", "\"1.1\"", StringComparison.Ordinal));

        ProcessRunner.Result? inForce = null;
        Assert.That(await HubProcess.EventuallyAsync(async () =>
        {
            inForce = await hub.CliAsync("mappings");
            return inForce.Output.Contains("last-good", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30)), Is.True, inForce?.Output + hub.Log);
        Assert.That(inForce!.ExitCode, Is.EqualTo(2));
        var row = inForce.Output.Split('\n').Single(l => l.StartsWith("cusdec-d96b-to-wco-dec ", StringComparison.Ordinal));
        Assert.That(row, Does.Contain(" 1.0 ").And.Contain("last-good: version 1.0 stays in force; the edit on disk does not load"));
        Assert.That(inForce.Output, Does.Contain($"error: {rules}:").And.Contain("element 'd:FunctionalReferenceId'").And.Contain("Fix: use one of: d:FunctionalReferenceID (closest)"));

        // --files: the files as they load now (what the next start-up would refuse).
        var files = await hub.CliAsync("mappings", "--files");
        Assert.That(files.ExitCode, Is.EqualTo(2));
        Assert.That(files.Output, Does.StartWith("No running hub for this configuration").Or.Contain("as they load now"));
        Assert.That(files.Output.Split('\n').Single(l => l.StartsWith("cusdec-d96b-to-wco-dec ", StringComparison.Ordinal)), Does.Contain($"error: {rules}:"));

        // Once the hub stops, its view is gone: the files are shown.
        Assert.That(await hub.StopAsync(), Is.EqualTo(0), hub.Log);
        var stopped = await hub.CliAsync("mappings");
        Assert.That(stopped.Output, Does.StartWith("No running hub for this configuration"));
    }
}
