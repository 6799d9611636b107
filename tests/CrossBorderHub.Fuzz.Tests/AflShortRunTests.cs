using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossBorderHub.Fuzz.Tests;

/// <summary>
/// A short AFL++ run per target (instrumented by SharpFuzz, seeded from samples/), failing on any crash or hang.
/// The long run is `./build.sh fuzz`; both run tests/CrossBorderHub.Fuzz/fuzz.sh, here once for all targets so the
/// harness is instrumented once.
/// </summary>
[NonParallelizable]
public class AflShortRunTests
{
    /// <summary>Tens of seconds each, four targets: the whole fixture stays under three minutes.</summary>
    private const int SecondsPerTarget = 25;

    private string _work = "";
    private string _output = "";
    private int _exitCode;

    [OneTimeSetUp]
    public void RunAflOnEveryTarget()
    {
        if (!OnPath("afl-fuzz"))
        {
            const string message = "afl-fuzz is not installed: apt-get install afl++ (or ./build.sh test as root)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }
            Assert.Ignore(message);
        }
        _work = Directory.CreateTempSubdirectory("hub-fuzz-short-").FullName;
        var script = Path.Combine(FuzzRepo.Root, "tests", "CrossBorderHub.Fuzz", "fuzz.sh");
        var start = new ProcessStartInfo("bash", [script, "all", SecondsPerTarget.ToString(CultureInfo.InvariantCulture), _work])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = FuzzRepo.Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = TimeSpan.FromSeconds(FuzzTargets.All.Count * (SecondsPerTarget + 60) + 120);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"fuzz.sh did not finish within {limit.TotalSeconds} s");
        }
        _output = stdout.Result + stderr.Result;
        _exitCode = process.ExitCode;
        TestContext.Progress.WriteLine(_output);
    }

    [OneTimeTearDown]
    public void RemoveWorkFolder()
    {
        // Kept when anything was found: the inputs are in WORK/TARGET/found/ (the failure message names them).
        if (_work.Length > 0 && _exitCode == 0)
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [TestCaseSource(typeof(FuzzTargets), nameof(FuzzTargets.Names))]
    public void A_short_afl_run_finds_no_crash_and_no_hang(string target)
    {
        var line = Regex.Match(_output, $@"^fuzz {target}: .*$", RegexOptions.Multiline);
        Assert.That(line.Success, Is.True, $"afl-fuzz did not run {target} (fuzz.sh exit {_exitCode}):\n{_output}");
        Assert.That(line.Value, Does.Match($@"fuzz {target}: [1-9]\d* execs, .* 0 crashes, 0 hangs"),
            $"fuzz.sh found a crash or hang in {target} (work folder kept: {_work}):\n{_output}");
    }

    [Test]
    public void The_fuzz_script_exits_zero()
    {
        Assert.That(_exitCode, Is.Zero, _output);
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, command)));
}
