using System.Xml.Linq;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Mapping;

/// <summary>The mappings shipped in mappings/: they load, their fixtures pass, and their output is valid for the target.</summary>
public sealed class ShippedDeclarativeMappingsTests
{
    private static readonly string Mappings = Path.Combine(XmlSamples.RepositoryRoot, "mappings");

    private static MappingCatalog Catalog() => new MappingCatalog(Mappings, MappingCatalog.Compilers(DeclarativeMappingTests.EdifactRoot)).Load();

    private static byte[] Map(IMapping mapping, byte[] input)
    {
        using var target = new MemoryStream();
        var outcome = mapping.Map(new MemoryStream(input), target, CancellationToken.None);
        Assert.That(outcome.Findings, Is.Empty);
        return target.ToArray();
    }

    private static IEnumerable<string> Inputs(string mapping) =>
        Directory.EnumerateFiles(Path.Combine(Mappings, mapping, "tests"), "*.input.*").Order(StringComparer.Ordinal);

    [Test]
    public void Every_shipped_mapping_loads_and_passes_its_fixtures()
    {
        var catalog = Catalog();
        Assert.That(catalog.Errors, Is.Empty, string.Join("\n", catalog.Errors));
        Assert.That(catalog.Entries.Select(e => e.Name), Is.SupersetOf(new[] { "cusdec-d96b-to-wco-dec", "wco-dec-to-cusdec-d96b", "sancrt-d96b-to-ephyto-sps", "sps-to-ephyto-envelope" }));
        foreach (var entry in catalog.Entries)
        {
            var results = MappingFixtures.Run(entry.Mapping!, Path.Combine(Mappings, entry.Name));
            Assert.That(results, Has.Count.GreaterThanOrEqualTo(3), entry.Name);
            Assert.That(results.Where(r => !r.Passed).Select(r => $"{r.Input}: {r.Failure}"), Is.Empty);
        }
    }

    [Test]
    public void A_WCO_declaration_survives_the_round_trip_through_CUSDEC_with_every_mapped_value()
    {
        var catalog = Catalog();
        var toEdifact = catalog.Find("wco-dec-to-cusdec-d96b")!;
        var toXml = catalog.Find("cusdec-d96b-to-wco-dec")!;
        foreach (var input in Inputs("wco-dec-to-cusdec-d96b"))
        {
            var original = File.ReadAllBytes(input);
            var back = Map(toXml, Map(toEdifact, original));
            Assert.That(XNode.DeepEquals(Normalized(original), Normalized(back)), Is.True, $"{input}:\n{System.Text.Encoding.UTF8.GetString(back)}");
        }
    }

    [Test]
    public void The_CUSDEC_written_from_WCO_XML_is_valid_at_the_codes_level()
    {
        var mapping = Catalog().Find("wco-dec-to-cusdec-d96b")!;
        var validator = new EdifactValidator(new DirectoryRegistry(DeclarativeMappingTests.EdifactRoot), ValidationLevel.Codes);
        foreach (var input in Inputs("wco-dec-to-cusdec-d96b"))
        {
            var result = validator.Validate(Map(mapping, File.ReadAllBytes(input)));
            Assert.That(result.Findings.Where(f => f.IsError).Select(f => f.ToString()), Is.Empty, input);
            Assert.That(result.MessageCount, Is.EqualTo(1));
        }
    }

    [TestCase("cusdec-d96b-to-wco-dec", "wco-dec/declaration/WCO_DEC_2_DMS.xsd")]
    [TestCase("sancrt-d96b-to-ephyto-sps", "ephyto-sps/profile/SPSCertificate_17p0_profile.xsd")]
    public async Task The_XML_a_mapping_writes_validates_against_the_pack_XSD_with_xmllint(string name, string xsd)
    {
        var xmllint = RequiredTool.Find("xmllint", "libxml2-utils");
        var mapping = Catalog().Find(name)!;
        var folder = Directory.CreateTempSubdirectory("mapped-");
        try
        {
            foreach (var input in Inputs(name))
            {
                var output = Path.Combine(folder.FullName, Path.GetFileName(input) + ".xml");
                await File.WriteAllBytesAsync(output, Map(mapping, await File.ReadAllBytesAsync(input)));
                var result = await ProcessRunner.RunAsync(xmllint, ["--noout", "--schema", Path.Combine(XmlSamples.RepositoryRoot, "schemas", "xsd", xsd), output], TimeSpan.FromSeconds(60));
                Assert.That(result.ExitCode, Is.EqualTo(0), $"{input}: {result.Error}");
                Assert.That(result.Error, Does.Contain("validates"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void A_certificate_without_the_issuer_the_SPS_schema_requires_is_not_mapped()
    {
        var mapping = Catalog().Find("sancrt-d96b-to-ephyto-sps")!;
        var input = File.ReadAllText(Inputs("sancrt-d96b-to-ephyto-sps").First()).Replace("NAD+MS+", "NAD+OS+", StringComparison.Ordinal);
        using var target = new MemoryStream();
        var outcome = mapping.Map(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input)), target, CancellationToken.None);
        Assert.That(outcome.Findings.Select(f => f.SourcePath), Is.EqualTo(new[] { "sancrt-d96b-to-ephyto-sps: message 1: SG2/NAD[3035=MS]" }));
        Assert.That(outcome.Findings[0].Message, Does.Contain("ram:IssuerSPSParty"));
    }

    private static XElement Normalized(byte[] xml)
    {
        var root = XDocument.Load(new MemoryStream(xml)).Root!;
        foreach (var text in root.DescendantNodes().OfType<XText>().ToList())
        {
            if (string.IsNullOrWhiteSpace(text.Value))
            {
                text.Remove();
            }
        }
        // Namespace declarations may sit on another element; the names they give are what counts.
        root.DescendantsAndSelf().Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return root;
    }
}
