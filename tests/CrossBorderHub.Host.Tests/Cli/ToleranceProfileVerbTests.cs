using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>
/// `hub validate --profile strict|lenient` on the interchanges partners really send (issue 12): every sample under
/// samples/messages/edifact/tolerated passes lenient with warnings and fails strict with the same lines as errors.
/// </summary>
public sealed class ToleranceProfileVerbTests : CliVerbTestBase
{
    private static readonly string Tolerated = Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "edifact", "tolerated");

    private static IEnumerable<string> Deviations() =>
        Directory.GetFiles(Tolerated, "*.edi").Select(Path.GetFileName).OfType<string>().Where(n => n != "cusdec-wrong-unt-count.edi").Order(StringComparer.Ordinal);

    private static List<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    [TestCaseSource(nameof(Deviations))]
    public async Task Lenient_passes_with_warnings_and_strict_fails_with_the_same_findings_as_errors(string name)
    {
        var file = Path.Combine(Tolerated, name);
        var lenient = await Run(new ValidateVerb(), "--profile", "lenient", file);
        var strict = await Run(new ValidateVerb(), "--profile", "strict", file);
        var byDefault = await Run(new ValidateVerb(), file);

        Assert.That(lenient.Exit, Is.EqualTo(0), lenient.Out + lenient.Error);
        Assert.That(Lines(lenient.Out), Is.Not.Empty.And.All.Contains(": WARNING "));
        Assert.That(lenient.Error, Does.Contain("valid Edifact CUSDEC"));
        Assert.That(strict.Exit, Is.EqualTo(1), strict.Out + strict.Error);
        Assert.That(Lines(strict.Out), Is.EqualTo(Lines(lenient.Out).Select(l => l.Replace(": WARNING ", ": ERROR ", StringComparison.Ordinal))));
        Assert.That(byDefault, Is.EqualTo(strict), "without --profile (and without a partner) the profile is strict");
    }

    [Test]
    public async Task A_wrong_UNT_count_fails_under_both_profiles()
    {
        var file = Path.Combine(Tolerated, "cusdec-wrong-unt-count.edi");
        foreach (var profile in new[] { "strict", "lenient" })
        {
            var (exit, output, _) = await Run(new ValidateVerb(), "--profile", profile, file);
            Assert.That(exit, Is.EqualTo(1), profile);
            Assert.That(output, Does.Contain(" UNT pos 1: ERROR 29: "), profile);
        }
    }

    [Test]
    public async Task An_unknown_profile_is_a_usage_error_on_one_line()
    {
        var (exit, output, error) = await Run(new ValidateVerb(), "--profile", "loose", Path.Combine(Tolerated, "cusdec-trailing-separators.edi"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error.Trim(), Is.EqualTo("hub validate: --profile must be one of strict, lenient, not 'loose'."));
    }

    [Test]
    public async Task A_CUSDEC_with_an_ISO_6346_container_type_validates_at_the_codes_level_against_the_shipped_list()
    {
        var file = Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "edifact", "cusdec-d96b-iso6346-container.edi");
        var (exit, output, error) = await Run(new ValidateVerb(), "--level", "codes", file);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Is.Empty, "22G1 is checked against schemas/codelists/ISO6346.txt: no 'not checked' info either");

        var unknown = Path.Combine(Folder, "cusdec-unknown-container-type.edi");
        File.WriteAllText(unknown, File.ReadAllText(file).Replace("22G1:102:5", "99X9:102:5", StringComparison.Ordinal));
        (exit, output, _) = await Run(new ValidateVerb(), "--level", "codes", unknown);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain(" EQD pos 3:1: ERROR 12: '99X9' is not a code of ISO 6346 size and type codes"));
    }
}
