using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml.Schemas;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Xml;

public sealed class SchemaCatalogTests() : TempFolderTests("packs-")
{
    [SetUp]
    public void CreatePacksFolder() => Directory.CreateDirectory(Path.Combine(Folder, "xsd"));

    private void CopyPack(string name) =>
        TempFolder.Copy(Path.Combine(XmlTestHub.RepositoryRoot, "schemas", "xsd", name), Path.Combine(Folder, "xsd", name));

    [Test]
    public void TheShippedPacksLoadAndCompile()
    {
        var errors = new List<string>();
        new SchemaPackCheck().Check(XmlTestHub.Options(), errors);
        Assert.That(errors, Is.Empty);
        var catalog = SchemaCatalog.For(Path.Combine(XmlTestHub.RepositoryRoot, "schemas", "xsd"));
        Assert.That(catalog.Documents.Select(d => d.Definition.DocumentType).Distinct(),
            Is.SupersetOf(new[] { "CertificateOfOrigin", "PhytosanitaryCertificate", "CustomsDeclaration", "CustomsResponse", "XmlSignature" }));
    }

    [Test]
    public void ABrokenManifestIsAStartupErrorNamingTheFile()
    {
        CopyPack("atiga-form-d");
        Directory.CreateDirectory(Path.Combine(Folder, "xsd", "broken"));
        File.WriteAllText(Path.Combine(Folder, "xsd", "broken", "pack.json"), "{ \"documents\": [ { \"documentType\": \"X\", \"root\": \"X\", \"schemas\": [\"missing.xsd\"], \"rules\": [ { \"kind\": \"nonsense\", \"xpath\": \"//\" } ] } ] }");
        Directory.CreateDirectory(Path.Combine(Folder, "xsd", "notjson"));
        File.WriteAllText(Path.Combine(Folder, "xsd", "notjson", "pack.json"), "{ this is not json");
        var errors = new List<string>();
        new SchemaPackCheck().Check(new HubOptions { Processing = new ProcessingOptions { SchemasPath = Folder } }, errors);
        Assert.That(errors, Has.Some.Contains("missing.xsd").And.Some.Contains("nonsense").And.Some.Contains("XPath '//'").And.Some.Contains("notjson"));
        Assert.That(errors, Has.All.StartsWith("Hub:Processing:SchemasPath"));
        Assert.That(SchemaCatalog.Load(Path.Combine(Folder, "xsd")).Find("urn:crossborderhub:atiga:form-d:1", "CertificateOfOrigin"), Is.Not.Null, "the good pack keeps working");
    }

    [Test]
    public void AnImportOutsideThePackFolderIsRefused()
    {
        var pack = Path.Combine(Folder, "xsd", "escape");
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "a.xsd"), """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a" elementFormDefault="qualified">
              <xs:include schemaLocation="../../../../../../../etc/passwd"/>
              <xs:element name="A" type="xs:string"/>
            </xs:schema>
            """);
        File.WriteAllText(Path.Combine(pack, "pack.json"), """{ "documents": [ { "documentType": "A", "namespace": "urn:a", "root": "A", "schemas": ["a.xsd"] } ] }""");
        var errors = new List<string>();
        new SchemaPackCheck().Check(new HubOptions { Processing = new ProcessingOptions { SchemasPath = Folder } }, errors);
        Assert.That(errors, Has.Some.Contains("outside the pack folder"));
    }

    [Test]
    public async Task ADroppedInPackWithAHigherPriorityTakesPrecedence()
    {
        CopyPack("atiga-form-d");
        var official = Path.Combine(Folder, "xsd", "form-d-official");
        TempFolder.Copy(Path.Combine(Folder, "xsd", "atiga-form-d"), official);
        File.WriteAllText(Path.Combine(official, "pack.json"), File.ReadAllText(Path.Combine(official, "pack.json"))
            .Replace("\"priority\": 0", "\"priority\": 10", StringComparison.Ordinal)
            .Replace("\"documentType\": \"CertificateOfOrigin\"", "\"documentType\": \"OfficialCertificateOfOrigin\"", StringComparison.Ordinal));
        var options = new HubOptions { Processing = new ProcessingOptions { SchemasPath = Folder } };
        var bytes = File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, "form-d-valid.xml"));
        var inspection = await XmlTestHub.Inspector(options: options).InspectAsync(XmlTestHub.Request(bytes, options: options), CancellationToken.None);
        Assert.That(inspection.Identity.DocumentType, Is.EqualTo("OfficialCertificateOfOrigin"));
    }

    [Test]
    public void MissingOrUnreadableTrustedCertificatesAreStartupErrorsNamingTheSetting()
    {
        var good = TestCertificates.WritePem(TestCertificates.Rsa, Folder).Certificate;
        var garbage = Path.Combine(Folder, "garbage.pem");
        File.WriteAllText(garbage, "not a certificate", Encoding.ASCII);
        var options = new HubOptions();
        options.Partners["CN"] = new PartnerOptions { Signature = new SignaturePolicyOptions { Required = true, TrustedCertificates = [good, Path.Combine(Folder, "nope.pem"), garbage] } };
        options.Partners["TH"] = new PartnerOptions { Signature = new SignaturePolicyOptions { Required = true } };
        var errors = new List<string>();
        new TrustedCertificatesCheck().Check(options, errors);
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Signature:TrustedCertificates:1").And.Some.Contains("does not exist"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Signature:TrustedCertificates:2"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Signature:Required"));
        Assert.That(errors, Has.None.Contains("TrustedCertificates:0"));
    }

    [Test]
    public void TheStartupChecksAreDiscoverableImplementations()
    {
        Assert.That(typeof(IStartupCheck).IsAssignableFrom(typeof(SchemaPackCheck)) && typeof(IStartupCheck).IsAssignableFrom(typeof(TrustedCertificatesCheck)), Is.True);
    }
}

public sealed class OfficialSpsDropInTests
{
    [Test]
    public async Task TheOfficialPackExampleIsPickedFirstAndABrokenOneFallsBackToTheProfile()
    {
        var root = Path.Combine(Path.GetTempPath(), $"official-{Guid.NewGuid():N}");
        try
        {
            var xsd = Path.Combine(root, "xsd");
            var shipped = Path.Combine(XmlTestHub.RepositoryRoot, "schemas", "xsd", "ephyto-sps");
            TempFolder.Copy(shipped, Path.Combine(xsd, "ephyto-sps"));
            // What an admin does, minus the 4 MiB RAM file we do not have: the official files and the example manifest.
            var official = Path.Combine(xsd, "uncefact-sps-17a-official");
            TempFolder.Copy(Path.Combine(shipped, "official"), official);
            File.Copy(Path.Combine(shipped, "official-pack.json.example"), Path.Combine(official, "pack.json"));

            var catalog = SchemaCatalog.Load(xsd);
            Assert.That(catalog.Errors, Is.Empty);
            Assert.That(catalog.Find("urn:un:unece:uncefact:data:standard:SPSCertificate:17", "SPSCertificate")!.Manifest.Priority, Is.EqualTo(10));

            var errors = new List<string>();
            new SchemaPackCheck().Check(new HubOptions { Processing = new ProcessingOptions { SchemasPath = root } }, errors);
            Assert.That(errors, Has.Some.Contains("ReusableAggregateBusinessInformationEntity_21p0.xsd"), "the start-up check names the missing official file");

            var options = new HubOptions { Processing = new ProcessingOptions { SchemasPath = root } };
            var bytes = File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, "ephyto-valid.xml"));
            var inspection = await XmlTestHub.Inspector(options: options).InspectAsync(XmlTestHub.Request(bytes, options: options), CancellationToken.None);
            Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
            Assert.That(inspection.Findings.Select(f => f.Code), Does.Contain("XML-PACK-BROKEN"));
            Assert.That(inspection.Findings.Single(f => f.Code == "XML-PACK").Message, Does.Contain("profile"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
