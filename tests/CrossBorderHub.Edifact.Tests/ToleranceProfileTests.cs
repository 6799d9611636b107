using System.Text.Json;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Interchanges as partners' software sends them (issue 12): each sample under tolerated/ carries one kind of
/// deviation; the lenient profile reports it as warnings and accepts the interchange, the strict one reports the very
/// same findings as errors.
/// </summary>
public sealed class ToleranceProfileTests
{
    private const string WrongUntCount = "tolerated/cusdec-wrong-unt-count.edi";

    private static IEnumerable<string> Deviations() => Samples.Tolerated().Where(n => n != WrongUntCount);

    private static IEnumerable<ExpectedFinding> Shape(IEnumerable<EdifactFinding> findings) =>
        findings.Where(f => f.Severity != EdifactSeverity.Info).Select(f => new ExpectedFinding(f.CodeNumber, f.SegmentNumber, f.Tag, f.Position));

    [TestCaseSource(nameof(Deviations))]
    public void Lenient_accepts_the_deviation_with_warnings_and_strict_rejects_it_with_the_same_findings_as_errors(string name)
    {
        var data = Samples.Read(name);
        var lenient = Samples.Validate(data, EdifactTolerance.Lenient);
        var strict = Samples.Validate(data, EdifactTolerance.Strict);
        var golden = JsonSerializer.Deserialize<ToleratedGolden>(File.ReadAllText(Samples.GoldenPath(name)), Samples.Json)!;
        Assert.Multiple(() =>
        {
            Assert.That(lenient.IsValid, Is.True, string.Join("\n", lenient.Findings));
            Assert.That(Shape(lenient.Findings), Is.EquivalentTo(golden.Findings), string.Join("\n", lenient.Findings));
            Assert.That(lenient.Findings.Where(f => f.Severity != EdifactSeverity.Info).Select(f => f.Severity), Is.All.EqualTo(EdifactSeverity.Warning));
            Assert.That(strict.IsValid, Is.False, "strict must reject " + golden.Deviation);
            Assert.That(strict.Findings.Where(f => f.Severity != EdifactSeverity.Info).Select(f => f.Severity), Is.All.EqualTo(EdifactSeverity.Error));
            Assert.That(strict.Findings.Select(f => f with { Severity = EdifactSeverity.Warning }).Where(f => f.Severity != EdifactSeverity.Info),
                Is.EqualTo(lenient.Findings.Where(f => f.Severity != EdifactSeverity.Info)), "the same findings, only weighed differently");
        });
    }

    [TestCaseSource(nameof(Deviations))]
    public void Each_deviation_is_tolerated_by_its_own_switch_alone(string name)
    {
        var golden = JsonSerializer.Deserialize<ToleratedGolden>(File.ReadAllText(Samples.GoldenPath(name)), Samples.Json)!;
        var tolerance = golden.Switch switch
        {
            nameof(EdifactTolerance.TrailingSeparators) => EdifactTolerance.Strict with { TrailingSeparators = true },
            nameof(EdifactTolerance.RepertoireCharacters) => EdifactTolerance.Strict with { RepertoireCharacters = true },
            nameof(EdifactTolerance.EitherSyntaxDateFormat) => EdifactTolerance.Strict with { EitherSyntaxDateFormat = true },
            nameof(EdifactTolerance.UnlistedServiceFlags) => EdifactTolerance.Strict with { UnlistedServiceFlags = true },
            nameof(EdifactTolerance.IataSyntaxIdentifiers) => EdifactTolerance.Strict with { IataSyntaxIdentifiers = true },
            nameof(EdifactTolerance.NumericFormats) => EdifactTolerance.Strict with { NumericFormats = true },
            nameof(EdifactTolerance.LengthMargin) => EdifactTolerance.Strict with { LengthMargin = 1 },
            _ => throw new AssertionException($"{name}: unknown switch '{golden.Switch}' in its golden file"),
        };
        var result = Samples.Validate(Samples.Read(name), tolerance);
        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Findings));
        Assert.That(result.Findings.Any(f => f.Severity == EdifactSeverity.Warning), Is.True);
    }

    [TestCaseSource(nameof(Deviations))]
    public void The_fast_path_and_the_full_path_agree_under_either_profile(string name)
    {
        var data = Samples.Read(name);
        foreach (var tolerance in new[] { EdifactTolerance.Strict, EdifactTolerance.Lenient })
        {
            Assert.That(Samples.Validate(data, tolerance).Findings, Is.EqualTo(Samples.Validate(data, tolerance, fastPath: false).Findings));
        }
    }

    [Test]
    public void A_wrong_UNT_count_fails_in_every_profile_even_when_the_other_deviations_are_tolerated()
    {
        var data = Samples.Read(WrongUntCount);
        foreach (var tolerance in new[] { EdifactTolerance.Strict, EdifactTolerance.Lenient })
        {
            var result = Samples.Validate(data, tolerance);
            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Findings.Where(f => f.IsError).Select(f => f.Code), Does.Contain(SyntaxError.ControlCountDoesNotMatch), string.Join("\n", result.Findings));
        }
        Assert.That(Samples.Validate(data, EdifactTolerance.Lenient).Findings.Single(f => f.IsError).Code, Is.EqualTo(SyntaxError.ControlCountDoesNotMatch));
        Assert.That(Samples.Validate(data, EdifactTolerance.Lenient).Findings.Count(f => f.Severity == EdifactSeverity.Warning), Is.GreaterThanOrEqualTo(5));
    }

    [Test]
    public void Lenient_leaves_counts_references_trailers_and_unknown_tags_errors()
    {
        foreach (var name in new[] { "broken/unt-count-wrong.edi", "broken/unz-count-wrong.edi", "broken/une-count-wrong.edi", "broken/unt-reference-mismatch.edi",
                     "broken/unz-reference-mismatch.edi", "broken/missing-unz.edi", "broken/truncated.edi" })
        {
            Assert.That(Samples.Validate(Samples.Read(name), EdifactTolerance.Lenient).IsValid, Is.False, name);
        }
        var unknownTag = System.Text.Encoding.ASCII.GetBytes(System.Text.Encoding.ASCII.GetString(Samples.Read("cusdec-d96b-una-syntax3.edi"))
            .Replace("\nLOC+", "\nXYZ+", StringComparison.Ordinal));
        var result = Samples.Validate(unknownTag, EdifactTolerance.Lenient);
        Assert.That(result.Findings.Where(f => f.IsError).Select(f => f.Tag), Does.Contain("XYZ"), string.Join("\n", result.Findings));
    }

    [Test]
    public void A_length_beyond_the_margin_stays_an_error()
    {
        var data = System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(Path.Combine(Repo.Samples, "tolerated", "cusdec-element-one-over-maximum.edi"))
            .Replace("123456789012345678901234567890123456", "12345678901234567890123456789012345678", StringComparison.Ordinal));
        var result = Samples.Validate(data, EdifactTolerance.Lenient);
        Assert.That(result.Findings.Single().ToString(), Does.Contain("ERROR 39"));
        Assert.That(Samples.Validate(data, EdifactTolerance.Lenient with { LengthMargin = 3 }).IsValid, Is.True);
    }

    [Test]
    public void A_control_character_under_UNOA_stays_an_error_when_lower_case_is_tolerated()
    {
        var data = Samples.Read("tolerated/cusdec-unoa-lower-case.edi");
        var withTab = data.Select(b => b == (byte)'L' ? (byte)'\t' : b).ToArray(); // IMPORTER Ltd -> a tab instead of "L"
        var result = Samples.Validate(withTab, EdifactTolerance.Lenient);
        Assert.That(result.IsValid, Is.False, string.Join("\n", result.Findings));
        Assert.That(result.Findings.Single(f => f.IsError).Message, Does.Contain("0x09"));
    }

    [Test]
    public void A_digit_missing_before_the_decimal_mark_is_reported_under_strict()
    {
        // ISO 9735 clause 10.1: ".5" is not allowed. Before profiles, the validator accepted it without a word.
        var result = Samples.Validate(Samples.Read("tolerated/cusdec-decimal-marks.edi"), EdifactTolerance.Strict);
        Assert.That(result.Findings.Select(f => f.Code), Does.Contain(SyntaxError.MissingDigitBeforeDecimal));
    }
}
