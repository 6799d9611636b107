namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// The validator's fast path for clean data segments may only skip work: every sample and every mutation gives the
/// same result with it and without it, finding for finding.
/// </summary>
public class ValidatorFastPathTests
{
    private static IEnumerable<string> AllSamples() => Samples.All();

    [TestCaseSource(nameof(AllSamples))]
    public void Every_sample_gives_the_same_result_with_and_without_the_fast_path(string name) =>
        AssertSameBothWays(Samples.Read(name), name);

    [Test]
    public void Random_mutations_give_the_same_result_with_and_without_the_fast_path()
    {
        var random = new Random(99);
        var samples = Samples.Valid().Select(Samples.Read).ToArray();
        for (var run = 0; run < 3000; run++)
        {
            var data = (byte[])samples[random.Next(samples.Length)].Clone();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(data.Length);
                data[at] = random.Next(4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => "+:'?*"u8[random.Next(5)],
                    2 => (byte)random.Next('0', '9' + 1),
                    _ => (byte)random.Next('A', 'Z' + 1),
                };
            }
            AssertSameBothWays(data, $"run {run}");
        }
    }

    private static void AssertSameBothWays(byte[] data, string what)
    {
        foreach (var level in new[] { Validation.ValidationLevel.Directory, Validation.ValidationLevel.Codes })
        {
            var fast = new Validation.EdifactValidator(Samples.Directories, level).Validate(data);
            var full = new Validation.EdifactValidator(Samples.Directories, level) { UseFastPath = false }.Validate(data);
            Assert.That(fast.Findings, Is.EqualTo(full.Findings), $"{what} at {level}: {Encoding.Latin1.GetString(data)}");
            Assert.That((fast.SegmentCount, fast.MessageCount, fast.Messages.Count), Is.EqualTo((full.SegmentCount, full.MessageCount, full.Messages.Count)), what);
        }
    }
}
