namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A partner's tolerance profile in the pipeline (Hub:Partners:X:Tolerance): a tolerated deviation is delivered and
/// recorded as a warning event of the message, never dropped; the settings are checked at start-up.
/// </summary>
[NonParallelizable]
public sealed class ToleranceProfileTests
{
    private static byte[] WithTrailingSeparators(string reference) =>
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestDocuments.Cusdec(reference)).Replace("+9'DTM", "+9+'DTM", StringComparison.Ordinal));

    private static JsonObject CnTolerance(JsonObject tolerance) => new()
    {
        ["Hub"] = new JsonObject { ["Partners"] = new JsonObject { ["CN"] = new JsonObject { ["Tolerance"] = tolerance } } },
    };

    private static async Task<JsonNode> EntryAsync(HubProcess hub, string remoteName) =>
        (await hub.MessagesAsync()).Single(m => m!["message"]!["remoteName"]!.GetValue<string>() == remoteName)!;

    private static async Task<string?> StatusAsync(HubProcess hub, string remoteName) =>
        (await hub.MessagesAsync()).SingleOrDefault(m => m!["message"]!["remoteName"]!.GetValue<string>() == remoteName)?["message"]!["status"]!.GetValue<string>();

    [Test]
    public async Task A_lenient_partners_trailing_separator_is_delivered_and_recorded_as_a_warning_event()
    {
        await using var hub = new HubProcess(CnTolerance(new JsonObject { ["Profile"] = "lenient" }));
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "trailing.edi"), WithTrailingSeparators("REFTOL1"));

        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var events = (await EntryAsync(hub, "trailing.edi"))["events"]!.AsArray();
        Assert.That(events.Where(e => e!["kind"]!.GetValue<string>() == "warning").Select(e => e!["detail"]?.ToString() ?? e!.ToJsonString()),
            Has.Some.Contains("WARNING 45").And.Some.Contains("trailing separator"), events.ToJsonString());
    }

    [Test]
    public async Task A_partner_switch_overrides_its_profile()
    {
        // Lenient, except trailing separators: the same interchange is rejected.
        await using var hub = new HubProcess(CnTolerance(new JsonObject { ["Profile"] = "lenient", ["TrailingSeparators"] = false }));
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "trailing.edi"), WithTrailingSeparators("REFTOL2"));

        Assert.That(await HubProcess.EventuallyAsync(async () => await StatusAsync(hub, "trailing.edi") == "Rejected", TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        Assert.That(hub.DeliveredFiles("TH"), Is.Empty);
    }

    [Test]
    public async Task An_unknown_profile_a_margin_out_of_range_and_a_mistyped_switch_are_listed_together_at_start_up()
    {
        await using var hub = new HubProcess(CnTolerance(new JsonObject { ["Profile"] = "loose", ["LengthMargin"] = 99, ["TrailingSeparator"] = true }));
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var errors = result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Tolerance:Profile 'loose' is unknown: use one of strict, lenient."));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Tolerance:LengthMargin 99 is out of range: use 0 to 35"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Tolerance:TrailingSeparator").And.Contains("did you mean TrailingSeparators?"));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }
}
