using System.Text.Json;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>Logging:Format on a real `hub run`: json gives one JSON object a line; an unknown value stops start-up.</summary>
public sealed class LogFormatTests
{
    [Test]
    public async Task With_json_format_the_start_up_line_is_a_json_object_with_the_category_and_message()
    {
        await using var hub = new HubProcess(new JsonObject { ["Logging"] = new JsonObject { ["Format"] = "json" } });
        await hub.StartAsync();
        var started = hub.Log.Split('\n').FirstOrDefault(l => l.Contains("CrossBorderHub starting", StringComparison.Ordinal));
        Assert.That(started, Is.Not.Null, hub.Log);
        using var line = JsonDocument.Parse(started!.Trim());
        Assert.That(line.RootElement.GetProperty("Category").GetString(), Is.EqualTo("CrossBorderHub.Host.Cli.RunVerb"));
        Assert.That(line.RootElement.GetProperty("Message").GetString(), Does.StartWith("CrossBorderHub starting"));
        await hub.KillAsync();
    }

    [Test]
    public async Task An_unknown_format_is_named_with_the_allowed_values_and_exits_2()
    {
        await using var hub = new HubProcess(new JsonObject { ["Logging"] = new JsonObject { ["Format"] = "xml" } });
        var result = await hub.CliAsync("run");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("Logging:Format is 'xml', which is not a log format: set it to one of simple, json, systemd."));
    }
}
