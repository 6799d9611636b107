namespace CrossBorderHub.Core.Tests.Xml;

public sealed class XmlInspectorTests
{
    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, name));

    [Test]
    public async Task AValidFormDIsIdentifiedFromItsManifest()
    {
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.Request(Sample("form-d-valid.xml")), CancellationToken.None);
        Assert.That(inspection.Findings.Where(f => f.Severity != FindingSeverity.Info), Is.Empty, string.Join("\n", inspection.Findings));
        var identity = inspection.Identity;
        Assert.That(identity.DocumentType, Is.EqualTo("CertificateOfOrigin"));
        Assert.That(identity.Sender, Is.EqualTo("CNSW"));
        Assert.That(identity.Recipient, Is.EqualTo("THNSW"));
        Assert.That(identity.ControlReference, Is.EqualTo("CN-D-2026-000123"));
        Assert.That(identity.OriginCountry, Is.EqualTo("CN"));
        Assert.That(identity.DestinationCountry, Is.EqualTo("TH"));
        Assert.That(identity.IsTest, Is.False);
    }

    [Test]
    public void RecognizesXmlAfterBomAndWhitespace()
    {
        var inspector = XmlTestHub.Inspector();
        Assert.That(inspector.Recognizes([0xEF, 0xBB, 0xBF, (byte)' ', (byte)'\n', (byte)'<', (byte)'a']), Is.True);
        Assert.That(inspector.Recognizes([0xFF, 0xFE, (byte)'<', 0]), Is.True);
        Assert.That(inspector.Recognizes("UNA:+.? 'UNB+UNOC:3"u8), Is.False);
        Assert.That(inspector.Recognizes([]), Is.False);
    }

    [Test]
    public async Task SchemaViolationsAreErrorsWithLineColumnAndPath()
    {
        var xml = Encoding.UTF8.GetString(Sample("form-d-valid.xml")).Replace("<Mode>road</Mode>", "<Mode>teleport</Mode>", StringComparison.Ordinal);
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.Request(Encoding.UTF8.GetBytes(xml)), CancellationToken.None);
        var error = inspection.Findings.Single(f => f.Severity == FindingSeverity.Error);
        Assert.That(error.Code, Is.EqualTo("XML-SCHEMA"));
        Assert.That(error.Location, Does.StartWith("23:").And.EndWith("/CertificateOfOrigin/Transport/Mode"), error.ToString());
    }

    [Test]
    public async Task A200MegabyteDocumentIsRejectedBeforeParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.xml");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew))
            {
                file.Write("<CertificateOfOrigin xmlns=\"urn:crossborderhub:atiga:form-d:1\">"u8);
                // Sparse: the length is what matters; nothing is read.
                file.SetLength(200L * 1024 * 1024);
            }
            var request = XmlTestHub.Request([]) with { OpenContent = () => File.OpenRead(path) };
            var before = GC.GetTotalMemory(true);
            var inspection = await XmlTestHub.Inspector().InspectAsync(request, CancellationToken.None);
            Assert.That(inspection.Findings.Single().Code, Is.EqualTo("XML-TOO-LARGE"), string.Join("\n", inspection.Findings));
            Assert.That(GC.GetTotalMemory(false) - before, Is.LessThan(16L * 1024 * 1024));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task XxeInThePipelineIsAnErrorFindingNotAnException()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"u8.ToArray();
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.Request(xml), CancellationToken.None);
        Assert.That(inspection.Findings.Single().Code, Is.EqualTo("XML-DTD"));
        Assert.That(inspection.Findings.Single().Message, Does.Not.Contain("root:"));
    }

    [Test]
    public async Task TheConfiguredLimitsApply()
    {
        var options = XmlTestHub.Options();
        options.Processing.Xml = new CrossBorderHub.Xml.XmlLimits { MaxDocumentBytes = 1000 };
        var inspection = await XmlTestHub.Inspector(options: options).InspectAsync(XmlTestHub.Request(Sample("form-d-valid.xml"), options: options), CancellationToken.None);
        Assert.That(inspection.Findings.Single().Code, Is.EqualTo("XML-TOO-LARGE"));
        Assert.That(inspection.Findings.Single().Message, Does.Contain("1,000"));
    }
}
