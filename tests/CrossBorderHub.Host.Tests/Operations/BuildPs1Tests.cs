using System.Globalization;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>
/// build.ps1 run by the real PowerShell on Linux: its argument handling, and the Windows service verbs up to the
/// service manager's calls (-WhatIf prints the New-Service and sc.exe calls instead of making them). Nothing here
/// publishes: the install runs are pointed at a fake published folder (-From) in a temp folder. What needs Windows
/// (New-Service, sc.exe, the service actually starting) is not exercised: docs/operations.md, Windows service.
/// Each run is a cold pwsh start (about a second of CPU): the cases run side by side, each with its own instance.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class BuildPs1Tests
{
    private static readonly string Script = Path.Combine(HubProcess.RepositoryRoot, "build.ps1");
    private DirectoryInfo _temp = null!;

    [SetUp]
    public void CreateFolder() => _temp = Directory.CreateDirectory(Path.Combine(TempFolder.RunRoot, $"build-ps1-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => TempFolder.Delete(_temp.FullName);

    [Test]
    public async Task An_unknown_verb_prints_one_line_and_exits_2()
    {
        var result = await RunAsync("deploy");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result), Is.EqualTo(new[] { "build.ps1: unknown verb 'deploy': use run, test, build, publish, bench, install, uninstall or help" }));
    }

    [Test]
    public async Task Help_lists_every_verb_and_exits_0()
    {
        var result = await RunAsync("help");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("install [FOLDER] [CONFIG]").And.Contain("uninstall").And.Contain("bench e2e").And.Contain("-WhatIf"));
    }

    [TestCase("bench", "usage: ./build.ps1 bench e2e [N] [DISK_OPS]")]
    [TestCase("bench e2e 10k", "N '10k' is not a positive whole number")]
    [TestCase("bench e2e 100 0", "DISK_OPS '0' is not a positive whole number")]
    [TestCase("publish now", "'publish' takes no arguments")]
    public async Task Bad_arguments_are_refused_with_one_line_and_exit_2_before_anything_is_built(string arguments, string expected)
    {
        var result = await RunAsync(arguments.Split(' '));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result), Has.Length.EqualTo(1).And.One.Contains(expected));
    }

    [Test]
    public async Task Bench_e2e_passes_N_and_DISK_OPS_to_the_benchmark_after_publishing()
    {
        var result = await RunAsync("bench", "e2e", "250", "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var lines = Lines(result);
        Assert.That(lines[0], Does.StartWith("what if: dotnet publish src/CrossBorderHub.Host -c Release -r linux-").And.Contain("-o artifacts/hub"));
        Assert.That(lines[^1], Is.EqualTo("what if: dotnet tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll e2e artifacts/hub/hub.dll 250 1000"));
    }

    [Test]
    public async Task Bench_e2e_passes_the_store_options_through_after_the_counts()
    {
        var result = await RunAsync("bench", "e2e", "100", "--store", "postgres", "--blobs", "postgres", "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Lines(result)[^1], Is.EqualTo(
            "what if: dotnet tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll e2e artifacts/hub/hub.dll 100 1000 --store postgres --blobs postgres"));
    }

    [TestCase("build", "what if: dotnet build CrossBorderHub.sln -c Release")]
    [TestCase("test --filter Name~Soak", "what if: dotnet test CrossBorderHub.sln -c Release --no-build --filter Name~Soak")]
    public async Task Build_and_test_run_the_dotnet_commands_build_sh_runs(string arguments, string expected)
    {
        var result = await RunAsync([.. arguments.Split(' '), "-WhatIf"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Lines(result)[^1], Is.EqualTo(expected));
    }

    [Test]
    public async Task Run_hands_hub_switches_to_the_hub_whole()
    {
        // pwsh -File splits `--Hub:Key=value` into '--Hub' and 'Key=value'; the hub ignores that form, so the script
        // joins them back. Before, `./build.ps1 run --Hub:...` silently lost the setting.
        var result = await RunAsync("run", "--config", "my hub.json", "--Hub:Admin:Url=http://127.0.0.1:5099", "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Lines(result)[^1], Is.EqualTo("what if: dotnet artifacts/hub/hub.dll run --config 'my hub.json' --Hub:Admin:Url=http://127.0.0.1:5099"));
    }

    [TestCase("install", "'install' registers a Windows service with New-Service and sc.exe, which need Windows")]
    [TestCase("uninstall", "'uninstall' removes a Windows service with Stop-Service and sc.exe, which need Windows")]
    public async Task The_service_verbs_on_Linux_say_in_one_line_that_they_need_Windows_and_exit_2(string verb, string expected)
    {
        var published = FakePublishedHub();
        var folder = Path.Combine(_temp.FullName, "installed");
        var result = verb == "install" ? await RunAsync(verb, folder, "-From", published) : await RunAsync(verb);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result), Has.Length.EqualTo(1).And.One.Contains(expected).And.One.Contains("deploy/systemd"));
        Assert.That(Directory.Exists(folder), Is.False, "nothing is copied before the Windows check");
    }

    [Test]
    public async Task Install_WhatIf_shows_the_service_it_would_register_for_a_folder_relative_to_the_caller()
    {
        var published = FakePublishedHub();
        var config = WriteConfig("service.json", "/var/lib/crossborderhub");
        // FOLDER is relative: to the caller's working folder, not the repository the script moves into.
        var result = await RunAsync(["install", "svc", config, "-From", published, "-WhatIf"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var folder = Path.Combine(_temp.FullName, "svc");
        var dotnet = ProcessRunner.Output("/bin/sh", "-c", "command -v dotnet").Trim();
        Assert.That(Lines(result), Is.EqualTo(new[]
        {
            $"what if: copy {published} to {folder}",
            $"what if: New-Service -Name CrossBorderHub -DisplayName 'CrossBorderHub EDI hub' -StartupType Automatic -BinaryPathName '\"{dotnet}\" \"{folder}/hub.dll\" run --config \"{config}\"'",
            "what if: sc.exe failure CrossBorderHub reset= 86400 actions= restart/5000/restart/5000/restart/30000",
            "what if: Start-Service -Name CrossBorderHub",
        }));
        Assert.That(Directory.Exists(folder), Is.False, "-WhatIf copies nothing");
    }

    [Test]
    public async Task Install_WhatIf_without_CONFIG_writes_one_whose_DataRoot_is_in_the_installed_folder()
    {
        var result = await RunAsync("install", "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        // No ProgramFiles on Linux: the Windows default is shown as Windows would see it.
        const string folder = @"C:\Program Files\CrossBorderHub";
        Assert.That(Lines(result), Does.Contain($@"what if: write {folder}\hub.json from samples/config/hub.json with Hub:DataRoot {folder}\data")
            .And.One.Contains("what if: publish the hub into artifacts/hub")
            .And.One.Contains($@"-BinaryPathName '""").And.One.Contains($@""" ""{folder}\hub.dll"" run --config ""{folder}\hub.json""'"));
    }

    [TestCase("./data", "Hub:DataRoot in {0} is './data', relative to the service's working folder C:\\Windows\\System32")]
    [TestCase(null, "Hub:DataRoot in {0} is not set (./data)")]
    public async Task Install_refuses_a_configuration_whose_DataRoot_would_land_in_System32(string? dataRoot, string expected)
    {
        var config = WriteConfig("relative.json", dataRoot);
        var result = await RunAsync("install", Path.Combine(_temp.FullName, "svc"), config, "-From", FakePublishedHub(), "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result), Has.Length.EqualTo(1).And.One.Contains(string.Format(CultureInfo.InvariantCulture, expected, config)));
    }

    [TestCase("empty", "holds no hub.dll")]
    [TestCase("missing-config", "does not exist: create it")]
    [TestCase("three", "install: too many arguments")]
    [TestCase("option", "install: unknown option '-Force'")]
    public async Task Install_refuses_bad_arguments_with_one_line_and_exit_2(string @case, string expected)
    {
        var published = FakePublishedHub();
        var folder = Path.Combine(_temp.FullName, "svc");
        string[] arguments = @case switch
        {
            "empty" => ["install", folder, "-From", Directory.CreateDirectory(Path.Combine(_temp.FullName, "empty")).FullName, "-WhatIf"],
            "missing-config" => ["install", folder, Path.Combine(_temp.FullName, "nowhere.json"), "-From", published, "-WhatIf"],
            "three" => ["install", folder, "a.json", "extra", "-WhatIf"],
            _ => ["install", folder, "-Force"],
        };
        var result = await RunAsync(arguments);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result), Has.Length.EqualTo(1).And.One.Contains(expected));
    }

    [Test]
    public async Task Uninstall_WhatIf_shows_the_stop_and_delete_it_would_run()
    {
        var result = await RunAsync("uninstall", "-WhatIf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Lines(result), Is.EqualTo(new[] { "what if: Stop-Service -Name CrossBorderHub", "what if: sc.exe delete CrossBorderHub" }));
    }

    /// <summary>PowerShell: $PWSH, then .tools/pwsh (./build.sh test installs it there), then PATH.</summary>
    private static string Pwsh()
    {
        var local = Path.Combine(HubProcess.RepositoryRoot, ".tools", "pwsh");
        var fromEnvironment = Environment.GetEnvironmentVariable("PWSH");
        foreach (var candidate in new[] { fromEnvironment, local })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(f => Path.Combine(f, "pwsh")).FirstOrDefault(File.Exists);
        if (onPath is null)
        {
            RequiredTool.Missing("'pwsh' is not installed: run 'dotnet tool install --tool-path .tools PowerShell --version 7.6.10' in the repository (./build.sh test does it)");
        }
        return onPath!;
    }

    // No telemetry or update check: both cost a start-up and neither belongs in a test.
    private static readonly Dictionary<string, string> Quiet = new() { ["POWERSHELL_TELEMETRY_OPTOUT"] = "1", ["POWERSHELL_UPDATECHECK"] = "Off" };

    private Task<ProcessRunner.Result> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Pwsh(), ["-NoProfile", "-NonInteractive", "-File", Script, .. arguments], TimeSpan.FromSeconds(60), _temp.FullName, Quiet);

    private static string[] Lines(ProcessRunner.Result result) =>
        (result.Output + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A folder shaped like artifacts/hub as far as install looks (it only checks hub.dll is there).</summary>
    private string FakePublishedHub()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.FullName, "published")).FullName;
        File.WriteAllText(Path.Combine(folder, "hub.dll"), "");
        return folder;
    }

    private string WriteConfig(string name, string? dataRoot)
    {
        var path = Path.Combine(_temp.FullName, name);
        var root = dataRoot is null ? "" : $"\"DataRoot\": \"{dataRoot}\", ";
        File.WriteAllText(path, $"{{ \"Hub\": {{ {root}\"Store\": {{ \"Provider\": \"Sqlite\" }} }} }}");
        return path;
    }
}
