using System.Net.Sockets;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Defect 8: a value of the wrong type stopped start-up at the first one, with the binder's stack trace; a port
/// already in use crashed Kestrel. Each is now listed or reported in one line naming the setting and the fix, exit 2.
/// </summary>
public sealed class ConfigurationTypeErrorTests
{
    private static List<string> ListedErrors(ProcessRunner.Result result) =>
        result.Error.Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();

    [Test]
    public async Task Type_errors_are_listed_all_at_once_with_unknown_keys_and_missing_values()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Delivery"] = new JsonObject { ["MaxAttempts"] = "x", ["InitialBackoff"] = "soon" },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["StableInterval"] = "2s" } },
                    ["TH"] = new JsonObject
                    {
                        ["Outbound"] = new JsonObject
                        {
                            ["Type"] = "ftp", ["Host"] = "127.0.0.1", ["Port"] = "abc", ["Username"] = "hub", ["Password"] = "secret",
                            ["RemotePath"] = ".", ["Encryption"] = "Tls2",
                        },
                    },
                },
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "typo", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH"), ["Sgn"] = "document" },
                    new JsonObject { ["Name"] = "nowhere", ["Recipient"] = "CNSW" },
                },
            },
        });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output + result.Error, Does.Not.Contain("   at "), "no stack trace");
        var errors = ListedErrors(result);
        Assert.That(errors, Has.Some.Contains("Hub:Delivery:MaxAttempts is 'x', which is not a whole number").And.Contains("such as"));
        Assert.That(errors, Has.None.Contains("MaxAttempts is 0"), "an unreadable value keeps its default, no follow-on error");
        Assert.That(errors, Has.Some.Contains("Hub:Delivery:InitialBackoff is 'soon', which is not a duration").And.Contains("00:00:05"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:StableInterval is '2s'"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:TH:Outbound:Port is 'abc', which is not a whole number"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:TH:Outbound:Encryption is 'Tls2', which is not a valid FtpEncryption").And.Contains("one of None, Explicit"));
        Assert.That(errors, Has.Some.Contains("Hub:Routes:0:Sgn").And.Contains("did you mean Sign?"));
        Assert.That(errors, Has.Some.Contains("Hub:Routes:1 (nowhere):To is empty"));
        Assert.That(result.Error, Does.Not.Contain("secret"), "no secret in the error lines");
    }

    [Test]
    public async Task An_admin_port_already_in_use_is_one_line_naming_the_port_and_setting_and_exit_2()
    {
        await using var hub = new HubProcess();
        using var squatter = new TcpListener(IPAddress.Loopback, hub.AdminPort);
        squatter.Start();

        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output + result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain($"port {hub.AdminPort} of Hub:Admin:Url").And.Contain("already in use").And.Contain("free port"));
    }

    [Test]
    public async Task An_as2_port_already_in_use_is_one_line_naming_the_port_and_setting_and_exit_2()
    {
        var as2Port = FreePort.Next();
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["As2"] = new JsonObject { ["Id"] = "HUB", ["Url"] = $"http://0.0.0.0:{as2Port}" } },
        });
        using var squatter = new TcpListener(IPAddress.Any, as2Port);
        squatter.Start();

        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output + result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain($"port {as2Port} of Hub:As2:Url").And.Contain("already in use"));
    }
}
