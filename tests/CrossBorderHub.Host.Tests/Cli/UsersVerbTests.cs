namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>`hub users` as an operator types it: the real executable, the password on standard input or in HUB_USER_PASSWORD.</summary>
[TestFixture]
public sealed class UsersVerbTests
{
    private static Task<ProcessRunner.Result> Users(HubProcess hub, string? input, IDictionary<string, string>? environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, "users", .. arguments, "--config", hub.ConfigPath], TimeSpan.FromSeconds(90), hub.Folder, environment, input);

    private static void OneUsageLine(ProcessRunner.Result result, string expected)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain(expected));
    }

    [Test]
    public async Task Users_are_added_listed_reset_and_given_tokens_and_bad_usage_is_one_line_with_exit_2()
    {
        await using var hub = new HubProcess();
        var added = await Users(hub, "alice-password-1\n", null, "add", "alice", "--role", "admin");
        Assert.That(added.ExitCode, Is.EqualTo(0), added.Error);
        Assert.That(added.Output, Does.Contain("added alice (admin)").And.Not.Contain("hub_"), "no token unless asked for");
        var robot = await Users(hub, null, new Dictionary<string, string> { ["HUB_USER_PASSWORD"] = "robot-password-1" }, "add", "robot", "--role", "viewer", "--token");
        Assert.That(robot.ExitCode, Is.EqualTo(0), robot.Error);
        Assert.That(robot.Output, Does.Match("token .*: hub_[A-Za-z0-9_-]{43}"));

        Assert.That((await Users(hub, "alice-password-1\n", null, "add", "alice", "--role", "viewer")).ExitCode, Is.EqualTo(1), "the name exists");
        var list = await Users(hub, null, null, "list");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.Error);
        var lines = list.Output.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("alice").And.Contain("admin").And.Contain("active"));
        Assert.That(lines[1], Does.StartWith("robot").And.Contain("viewer"));
        Assert.That(list.Output, Does.Not.Contain("AQAAAA"), "no password hash is shown");

        var shortPassword = await Users(hub, "short\n", null, "reset", "alice");
        Assert.That((shortPassword.ExitCode, shortPassword.Error), Is.EqualTo((1, "hub users: the password has 5 characters: use at least 10.\n")));
        Assert.That((await Users(hub, "alice-password-2\n", null, "reset", "alice")).ExitCode, Is.EqualTo(0));
        Assert.That((await Users(hub, "alice-password-2\n", null, "reset", "nobody")).ExitCode, Is.EqualTo(1));
        var token = await Users(hub, null, null, "token", "alice");
        Assert.That(token.Output, Does.Contain("hub_"));
        Assert.That((await Users(hub, null, null, "token", "nobody")).ExitCode, Is.EqualTo(1));

        OneUsageLine(await Users(hub, null, null), "add, list, reset or token");
        OneUsageLine(await Users(hub, "carol-password\n", null, "add", "carol"), "--role is required");
        OneUsageLine(await Users(hub, "carol-password\n", null, "add", "carol", "--role", "root"), "viewer, operator, admin, verifier");
        OneUsageLine(await Users(hub, null, null, "add", "carol", "--role", "viewer", "--password", "secret-password"), "unknown option --password");
        OneUsageLine(await Users(hub, "", null, "add", "carol", "--role", "viewer"), "HUB_USER_PASSWORD");
    }
}
