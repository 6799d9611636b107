using System.Text.Json;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Xml;

/// <summary>Every XML sample is graded as its x.expected.json says: document type, worst severity, finding codes.</summary>
public sealed class XmlSamplesTests
{
    public static IEnumerable<string> Samples() =>
        Directory.GetFiles(XmlTestHub.SamplesFolder, "*.xml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Test]
    public void EverySampleHasAnExpectation()
    {
        Assert.That(Samples().Count(), Is.GreaterThanOrEqualTo(15));
        foreach (var sample in Samples())
        {
            Assert.That(File.Exists(Path.Combine(XmlTestHub.SamplesFolder, Path.ChangeExtension(sample, ".expected.json"))), Is.True, sample);
        }
    }

    [TestCaseSource(nameof(Samples))]
    public async Task SampleIsGradedAsExpected(string sample)
    {
        var path = Path.Combine(XmlTestHub.SamplesFolder, sample);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".expected.json")));
        var root = expected.RootElement;
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.RequestForFile(path), CancellationToken.None);
        var findings = string.Join("\n", inspection.Findings);
        var worst = inspection.Findings.Count == 0 ? "None" : inspection.Findings.Max(f => f.Severity).ToString();
        var codes = inspection.Findings.Where(f => f.Severity != FindingSeverity.Info).Select(f => f.Code).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.That(inspection.Identity.DocumentType, Is.EqualTo(root.GetProperty("documentType").GetString()), findings);
        Assert.That(worst, Is.EqualTo(root.GetProperty("worstSeverity").GetString()), findings);
        Assert.That(codes, Is.EqualTo(root.GetProperty("codes").EnumerateArray().Select(c => c.GetString()).ToList()), findings);
        Assert.That(inspection.Findings.All(f => f.Location.Length > 0 && char.IsAsciiDigit(f.Location.TrimStart("payload ".ToCharArray())[0])), Is.True, "every finding says line:column");
    }
}
