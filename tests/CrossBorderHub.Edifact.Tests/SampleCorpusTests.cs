using System.Text.Json;
using CrossBorderHub.Edifact.Contrl;
using CrossBorderHub.Edifact.Xml;

namespace CrossBorderHub.Edifact.Tests;

public class SampleCorpusTests
{
    private static IEnumerable<string> ValidSamples() => Samples.Valid();

    private static IEnumerable<string> BrokenSamples() => Samples.Broken();

    // A CONTRL answers the UNB sender: broken files whose UNB cannot be read have nobody to answer.
    private static IEnumerable<string> AnswerableBrokenSamples() => Samples.Broken().Where(n => Samples.Validate(Samples.Read(n)).HasUnb);

    private static IEnumerable<string> UnanswerableBrokenSamples() => Samples.Broken().Where(n => !Samples.Validate(Samples.Read(n)).HasUnb);

    private static IEnumerable<string> AllSamples() => Samples.All();

    [TestCaseSource(nameof(ValidSamples))]
    public void Valid_sample_has_no_finding_at_codes_level_and_matches_its_golden_identity(string name)
    {
        var result = Samples.Validate(Samples.Read(name));
        // Info findings (e.g. a code of another agency's list, not checked) are allowed; no error is.
        Assert.That(result.Findings.Where(f => f.IsError).Select(f => f.ToString()), Is.Empty);
        if (Environment.GetEnvironmentVariable("HUB_WRITE_GOLDENS") == "1")
        {
            // Regenerating after an intended engine change: run with HUB_WRITE_GOLDENS=1, then review the diff.
            File.WriteAllText(Samples.GoldenPath(name), JsonSerializer.Serialize(Samples.GoldenOf(result), Samples.Json) + "\n");
        }
        var golden = JsonSerializer.Deserialize<ValidGolden>(File.ReadAllText(Samples.GoldenPath(name)), Samples.Json);
        Assert.That(Samples.GoldenOf(result), Is.EqualTo(golden));
    }

    [TestCaseSource(nameof(AllSamples))]
    public void Round_trip_through_the_model_gives_the_same_bytes(string name)
    {
        var original = Samples.Read(name);
        var interchange = EdifactParser.Parse(original);
        Assert.That(EdifactWriter.ToBytes(interchange), Is.EqualTo(original));
    }

    [TestCaseSource(nameof(AllSamples))]
    public void Xml_form_converts_back_to_the_same_bytes(string name)
    {
        var original = Samples.Read(name);
        var xml = EdifactXml.ToXml(original).ToString();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        Assert.That(EdifactXml.ToEdifact(stream), Is.EqualTo(original), xml);
    }

    [Test]
    public void Xml_form_names_segments_elements_and_components_by_position()
    {
        var xml = EdifactXml.ToXml(Samples.Read("cusdec-d96b-una-syntax3.edi"));
        var nad = xml.Root!.Elements(EdifactXml.Ns + "S").Single(s => (string?)s.Attribute("tag") == "NAD");
        var name = nad.Elements(EdifactXml.Ns + "E").Single(e => (int?)e.Attribute("n") == 4);
        Assert.That(name.Elements(EdifactXml.Ns + "C").First().Value, Is.EqualTo("Exporter Co+ Ltd's"));
        Assert.That(nad.Attribute("raw"), Is.Null, "a regular segment is described by its values only");
    }

    [TestCaseSource(nameof(BrokenSamples))]
    public void Broken_sample_reports_its_defect_with_code_and_position(string name)
    {
        var golden = JsonSerializer.Deserialize<BrokenGolden>(File.ReadAllText(Samples.GoldenPath(name)), Samples.Json)!;
        var result = Samples.Validate(Samples.Read(name));
        var all = string.Join("\n", result.Findings);
        Assert.That(result.Findings.Any(f => f.CodeNumber == golden.Code && f.SegmentNumber == golden.Segment && f.Tag == golden.Tag && f.Position == golden.Position),
            $"expected {golden.Code} at seg {golden.Segment} {golden.Tag} pos {golden.Position} ({golden.Defect}); got:\n{all}");
    }

    [Test]
    public void Only_files_without_a_readable_UNB_go_unanswered()
    {
        Assert.That(UnanswerableBrokenSamples(), Is.EquivalentTo(new[] { "broken/missing-unb.edi", "broken/wrong-una.edi" }));
        Assert.That(AnswerableBrokenSamples().Count(), Is.GreaterThan(20));
    }

    [TestCaseSource(nameof(AnswerableBrokenSamples))]
    public void Contrl_for_a_broken_interchange_is_valid_and_correlates(string name)
    {
        var result = Samples.Validate(Samples.Read(name));
        var contrl = ContrlBuilder.Build(result, "CTL1", new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero));
        var check = Samples.Validate(contrl);
        Assert.That(check.Findings.Select(f => f.ToString()), Is.Empty, System.Text.Encoding.Latin1.GetString(contrl));
        var report = ContrlReader.Read(contrl)!;
        Assert.That(report.Answers(result.Sender, result.ControlReference ?? ""), Is.True);
        Assert.That(report.Accepted, Is.False);
        Assert.That(report.ErrorCount, Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(ValidSamples))]
    public void Contrl_for_a_valid_interchange_accepts_it(string name)
    {
        var result = Samples.Validate(Samples.Read(name));
        var contrl = ContrlBuilder.Build(result, "CTL2", new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero));
        Assert.That(Samples.Validate(contrl).Findings.Select(f => f.ToString()), Is.Empty);
        var report = ContrlReader.Read(contrl)!;
        Assert.That(report.Accepted, Is.True);
        Assert.That(report.OriginalReference, Is.EqualTo(result.ControlReference));
        Assert.That(report.Messages, Has.Count.EqualTo(result.Messages.Count));
    }
}
