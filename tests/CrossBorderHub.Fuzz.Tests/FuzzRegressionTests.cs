namespace CrossBorderHub.Fuzz.Tests;

/// <summary>
/// Every input a fuzzer ever crashed on (tests/CrossBorderHub.Fuzz/regressions/TARGET/) is replayed through its
/// target: it must now be handled, accepted or refused with one of the target's expected exceptions.
/// </summary>
public class FuzzRegressionTests
{
    private static IEnumerable<TestCaseData> RegressionInputs() =>
        FuzzTargets.All.SelectMany(target =>
        {
            var folder = Path.Combine(FuzzRepo.Regressions, target.Name);
            return Directory.Exists(folder)
                ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => new TestCaseData(target.Name, Path.GetFileName(f)))
                : [];
        });

    [TestCaseSource(nameof(RegressionInputs))]
    public void A_regression_input_is_handled_without_a_crash(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzRepo.Regressions, target, file));
        var crash = FuzzTargets.RunOnce(FuzzTargets.Find(target)!, input);
        Assert.That(crash, Is.Null, () => $"{target}/{file}: {crash!.GetType().FullName}: {crash.Message}\n{crash.StackTrace}");
    }

    [TestCaseSource(typeof(FuzzTargets), nameof(FuzzTargets.Names))]
    public void Every_seed_is_handled_without_a_crash(string target)
    {
        var harness = FuzzTargets.Find(target)!;
        var seeds = harness.Seeds().ToList();
        Assert.That(seeds, Is.Not.Empty, "the seed corpus builder found samples");
        foreach (var (name, bytes) in seeds)
        {
            var crash = FuzzTargets.RunOnce(harness, bytes);
            Assert.That(crash, Is.Null, () => $"seed {name}: {crash!.GetType().FullName}: {crash.Message}\n{crash.StackTrace}");
        }
    }

    [Test]
    public void Every_target_has_a_regression_folder_or_none_found_yet()
    {
        // A folder name that is no target would never be replayed: a typo there hides a regression.
        var folders = Directory.Exists(FuzzRepo.Regressions) ? Directory.GetDirectories(FuzzRepo.Regressions).Select(Path.GetFileName) : [];
        Assert.That(folders, Is.SubsetOf(FuzzTargets.Names()));
    }
}
