using System.Globalization;

namespace CrossBorderHub.Host.Tests.Soak;

/// <summary>
/// The kill -9 soak in CI: 300 interchanges, 10 SIGKILLs. tests/soak/kill9-soak.sh runs the same test with
/// SOAK_N / SOAK_K / SOAK_SEED (defaults there 2000 / 40) and SOAK_REPORT naming a file for the summary.
/// </summary>
[NonParallelizable]
[Category("Soak")]
public sealed class Kill9SoakTests
{
    [Test]
    public async Task Kill9Soak_every_interchange_is_delivered_once_with_one_contrl_per_request_and_nothing_stuck()
    {
        var count = Setting("SOAK_N", 300);
        var kills = Setting("SOAK_K", 10);
        var seed = Setting("SOAK_SEED", 20261202);
        var report = await new Kill9Soak(count, kills, seed, TestContext.Progress).RunAsync();

        var text = report.ToString();
        TestContext.Progress.WriteLine(text);
        if (Environment.GetEnvironmentVariable("SOAK_REPORT") is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, text + "\n" + (report.LogTail.Length > 0 ? "hub log (last lines):\n" + report.LogTail + "\n" : ""));
        }
        Assert.That(report.Summary, Is.EqualTo($"{count} delivered, 0 lost, 0 duplicated, 0 stuck"), text + "\n" + report.LogTail);
        Assert.That(report.ContrlsDelivered, Is.EqualTo(report.ContrlsExpected), text);
        Assert.That(report.Problems, Is.Empty, text + "\n" + report.LogTail);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
