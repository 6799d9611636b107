namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>Bad command lines and unreadable configuration files, run through the real `hub` as a user types them.</summary>
public sealed class CommandLineErrorTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("hub-cli-errors-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private Task<ProcessRunner.Result> Hub(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, .. arguments], TimeSpan.FromSeconds(60), _folder);

    private static void AssertOneLineUsageError(ProcessRunner.Result result, string mentions)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain(mentions));
    }

    [Test]
    public async Task A_missing_config_file_is_one_line_and_exit_2_not_a_crash()
    {
        var result = await Hub("messages", "--config", Path.Combine(_folder, "nonexistent.json"));
        AssertOneLineUsageError(result, "nonexistent.json");
    }

    [Test]
    public async Task A_config_file_with_invalid_json_is_one_line_and_exit_2_not_a_crash()
    {
        var file = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(file, "{ \"Hub\": { \"DataRoot\": ");
        var result = await Hub("messages", "--config", file);
        AssertOneLineUsageError(result, "broken.json");
    }

    [Test]
    public async Task Messages_limit_that_is_not_a_number_is_one_line_and_exit_2_not_a_crash()
    {
        var result = await Hub("messages", "--limit", "abc", $"--Hub:DataRoot={_folder}/data");
        AssertOneLineUsageError(result, "--limit 'abc'");
    }

    [Test]
    public async Task Messages_status_without_a_value_is_one_line_and_exit_2_not_a_crash()
    {
        var result = await Hub("messages", $"--Hub:DataRoot={_folder}/data", "--status");
        AssertOneLineUsageError(result, "--status needs a value");
    }

    [Test]
    public async Task Run_with_an_unknown_argument_exits_2_naming_it_instead_of_starting_the_worker()
    {
        // The old `hub run` dropped what it did not know and started; the 30 s limit ends such a run and fails here.
        var data = $"--Hub:DataRoot={_folder}/data";
        var unknown = await ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, "run", "--nope", data, "--Hub:Admin:Enabled=false"], TimeSpan.FromSeconds(30), _folder);
        AssertOneLineUsageError(unknown, "'--nope'");
        // A switch written with a space instead of '=' leaves its value over: named too, not silently unset.
        var spaced = await ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, data, "--Hub:Admin:Enabled", "false"], TimeSpan.FromSeconds(30), _folder);
        AssertOneLineUsageError(spaced, "'false'");
        Assert.That(Directory.Exists(Path.Combine(_folder, "data")), Is.False, "nothing started");
    }

    [Test]
    public async Task Every_verb_listed_by_hub_help_answers_help_with_its_usage_and_never_starts_the_worker()
    {
        var help = await Hub("help");
        Assert.That(help.ExitCode, Is.EqualTo(0), help.Error);
        // The verbs are the first word of each indented usage line, so a new verb is covered without editing this test.
        var verbs = help.Output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]).Where(v => v.Length > 0).ToList();
        Assert.That(verbs, Does.Contain("run").And.Contain("verify").And.Contain("messages"));
        foreach (var verb in verbs)
        {
            foreach (var flag in new[] { "--help", "-h" })
            {
                var result = await Hub(verb, flag);
                Assert.That(result.ExitCode, Is.EqualTo(0), $"hub {verb} {flag}: {result.Output}{result.Error}");
                Assert.That(result.Output, Does.StartWith($"usage: hub {verb}"), $"hub {verb} {flag}");
                Assert.That(result.Error, Does.Not.Contain("   at "), $"hub {verb} {flag}");
                Assert.That(Directory.Exists(Path.Combine(_folder, "data")), Is.False, $"hub {verb} {flag} started something");
            }
        }
        var top = await Hub("--help");
        Assert.That(top.ExitCode, Is.EqualTo(0), top.Error);
        Assert.That(top.Output, Does.Contain("usage: hub"));
    }
}
