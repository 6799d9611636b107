namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>Bad configuration stops start-up with every error listed, each naming the setting and the fix.</summary>
public sealed class ConfigurationErrorTests
{
    [Test]
    public async Task Every_configuration_error_is_listed_at_once()
    {
        var blocker = Path.GetTempFileName();
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Identity"] = new JsonObject { ["Certificate"] = "/nonexistent/hub-certificate.pfx" },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject
                    {
                        ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "drop/CN", ["Schedule"] = "every now and then" },
                    },
                    ["TH"] = new JsonObject
                    {
                        ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = blocker },
                    },
                },
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "to nowhere", ["Recipient"] = "VNSW", ["To"] = new JsonArray("VN") },
                },
            },
        });
        var result = await hub.CliAsync("run");
        File.Delete(blocker);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var errors = result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Some.Contains("Hub:Routes:0 (to nowhere):To").And.Contains("'VN'").And.Contains("add the partner"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:TH:Outbound:Path").And.Contains("is a file"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:Schedule").And.Contains("cron"));
        Assert.That(errors, Has.Some.Contains("Hub:Identity:Certificate").And.Contains("does not exist"));
        Assert.That(result.Error, Does.Contain("nothing was started"));
    }

    [Test]
    public async Task An_unknown_store_provider_is_one_line_and_exit_2_not_a_crash()
    {
        // Found by the config fuzz target: the mapping step resolved the store while the validator ran, and an
        // unknown provider threw out of the dependency injection with a stack trace (exit 134).
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Store"] = new JsonObject { ["Provider"] = "Sqlitx" } } });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Hub:Store:Provider").And.Contain("Sqlitx"));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task An_unknown_verb_is_a_usage_error()
    {
        var result = await Testing.ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, "frobnicate"], TimeSpan.FromSeconds(60));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("unknown verb 'frobnicate'"));
    }
}
