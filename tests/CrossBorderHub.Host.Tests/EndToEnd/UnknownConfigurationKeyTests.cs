namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>A key the hub does not read is a start-up error naming the full path and the nearest valid key.</summary>
public sealed class UnknownConfigurationKeyTests
{
    [Test]
    public async Task A_mistyped_Sign_in_a_route_stops_start_up_instead_of_leaving_the_route_unsigned()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "signed", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH"), ["Sgn"] = "document" },
                },
            },
        });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Hub:Routes:0:Sgn").And.Contains("did you mean Sign?"));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task An_unknown_key_a_bad_value_and_a_missing_value_are_listed_together()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Shedule"] = "00:00:05" } },
                },
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "bad sign", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH"), ["Sign"] = "sometimes" },
                    new JsonObject { ["Name"] = "nowhere", ["Recipient"] = "CNSW" },
                },
            },
        });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var errors = result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:Shedule").And.Contains("did you mean Schedule?"));
        Assert.That(errors, Has.Some.Contains("Hub:Routes:0 (bad sign):Sign 'sometimes'"));
        Assert.That(errors, Has.Some.Contains("Hub:Routes:1 (nowhere):To is empty"));
    }

    [Test]
    public async Task Every_valid_key_of_the_default_configuration_is_accepted()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Processing"] = new JsonObject { ["Xml"] = new JsonObject { ["Wrong"] = 1 } },
            },
        });
        var result = await hub.CliAsync("run");
        var errors = result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), result.Error);
        Assert.That(errors[0], Does.Contain("Hub:Processing:Xml:Wrong").And.Contains("remove it, or use one of"));
    }
}
