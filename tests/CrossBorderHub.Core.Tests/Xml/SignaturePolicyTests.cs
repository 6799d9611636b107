using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Sbdh;
using CrossBorderHub.Xml.Signatures;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Xml;

/// <summary>The inspector applies the sending partner's signature policy; the transformer signs on the way out.</summary>
public sealed class SignaturePolicyTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"xml-policy-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static byte[] FormD => File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, "form-d-valid.xml"));

    private static byte[] SignedFormD(X509Certificate2 certificate)
    {
        var document = SafeXml.Load(new MemoryStream(FormD));
        XmlSignatures.Sign(document, certificate);
        return XmlSignatures.Serialize(document);
    }

    private PartnerOptions Partner(bool required, params X509Certificate2[] trusted) => new()
    {
        Signature = new SignaturePolicyOptions
        {
            Required = required,
            TrustedCertificates = trusted.Select(c => TestCertificates.WritePem(c, _folder).Certificate).ToList(),
        },
    };

    private static async Task<Inspection> Inspect(byte[] content, PartnerOptions partner, TimeProvider? time = null) =>
        await XmlTestHub.Inspector(time).InspectAsync(XmlTestHub.Request(content, "CN", partner), CancellationToken.None);

    [Test]
    public async Task AnUnsignedDocumentIsRejectedWhenThePartnerMustSign()
    {
        var inspection = await Inspect(FormD, Partner(required: true, TestCertificates.Rsa));
        Assert.That(inspection.HasErrors, Is.True);
        Assert.That(inspection.Findings.Single(f => f.Severity == FindingSeverity.Error).Code, Is.EqualTo("XMLDSIG-UNSIGNED"));
    }

    [Test]
    public async Task AnUnsignedDocumentPassesWhenSignaturesAreOptional()
    {
        var inspection = await Inspect(FormD, Partner(required: false, TestCertificates.Rsa));
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
    }

    [Test]
    public async Task ASignedDocumentFromThePinnedCertificatePassesAndStillValidates()
    {
        var inspection = await Inspect(SignedFormD(TestCertificates.Ecdsa), Partner(required: true, TestCertificates.Rsa, TestCertificates.Ecdsa));
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
        Assert.That(inspection.Findings.Select(f => f.Code), Does.Contain("XMLDSIG-VALID").And.Contain("XML-PACK"));
        Assert.That(inspection.Identity.DocumentType, Is.EqualTo("CertificateOfOrigin"));
    }

    [Test]
    public async Task TheWrongKeyIsRejected()
    {
        var inspection = await Inspect(SignedFormD(TestCertificates.OtherRsa), Partner(required: false, TestCertificates.Rsa));
        Assert.That(inspection.Findings.Single(f => f.Severity == FindingSeverity.Error).Code, Is.EqualTo("XMLDSIG-UNTRUSTED"));
    }

    [Test]
    public async Task TamperedContentIsRejected()
    {
        var tampered = Encoding.UTF8.GetString(SignedFormD(TestCertificates.Rsa)).Replace("12600", "1260", StringComparison.Ordinal);
        var inspection = await Inspect(Encoding.UTF8.GetBytes(tampered), Partner(required: true, TestCertificates.Rsa));
        Assert.That(inspection.Findings.Single(f => f.Severity == FindingSeverity.Error).Code, Is.EqualTo("XMLDSIG-INVALID"));
    }

    [Test]
    public async Task ATrustedCertificateNearExpiryRaisesAWarning()
    {
        var soon = TestCertificates.Create("rsa", DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddDays(10));
        var inspection = await Inspect(SignedFormD(soon), Partner(required: true, soon));
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
        var warning = inspection.Findings.Single(f => f.Severity == FindingSeverity.Warning);
        Assert.That(warning.Code, Is.EqualTo("CERT-EXPIRING"));
        Assert.That(warning.Message, Does.Contain("Hub:Partners:CN:Signature:TrustedCertificates:0"));
    }

    [Test]
    public async Task AnExpiredCertificateIsRejectedUsingTheInjectedClock()
    {
        var inspection = await Inspect(SignedFormD(TestCertificates.Rsa), Partner(required: true, TestCertificates.Rsa), new FixedTime(DateTimeOffset.UtcNow.AddYears(3)));
        Assert.That(inspection.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code), Is.EqualTo(new[] { "XMLDSIG-CERT-EXPIRED" }));
    }

    [Test]
    public async Task SignDocumentStepProducesADocumentTheHubAndXmlSec1Verify()
    {
        var hubCertificate = TestCertificates.Ecdsa;
        var (certPem, keyPem) = TestCertificates.WritePem(hubCertificate, _folder);
        var options = XmlTestHub.Options();
        options.Identity.Certificate = certPem;
        options.Identity.PrivateKey = keyPem;
        // The partner signed it; the hub re-signs with its own certificate on the way out.
        var transformed = await Transform(XmlSigningTransformer.DocumentStep, SignedFormD(TestCertificates.OtherRsa), options);
        var document = SafeXml.Load(new MemoryStream(transformed));
        Assert.That(document.GetElementsByTagName("Signature", XmlSignatures.DsigNamespace).Count, Is.EqualTo(1));
        Assert.That(XmlSignatures.Verify(document, [hubCertificate], DateTimeOffset.UtcNow).Valid, Is.True);
        var path = Path.Combine(_folder, "routed.xml");
        await File.WriteAllBytesAsync(path, transformed);
        var (exit, output) = XmlSec1.Run("--verify", "--trusted-pem", certPem, path);
        Assert.That(exit, Is.EqualTo(0), output);
    }

    [Test]
    public async Task SignEnvelopeWrapsEdifactAndTheReceivingSideUnwrapsAndVerifies()
    {
        var (certPem, keyPem) = TestCertificates.WritePem(TestCertificates.Rsa, _folder);
        var options = XmlTestHub.Options();
        options.Identity.Certificate = certPem;
        options.Identity.PrivateKey = keyPem;
        var edifact = "UNA:+.? 'UNB+UNOC:3+CNSW+THNSW+261123:1200+REF1'UNZ+0+REF1'"u8.ToArray();
        var envelope = await Transform(XmlSigningTransformer.EnvelopeStep, edifact, options);

        var inspection = await Inspect(envelope, Partner(required: true, TestCertificates.Rsa));
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
        Assert.That(inspection.Findings.Select(f => f.Code), Does.Contain("XMLDSIG-VALID"));
        Assert.That(inspection.Identity.DocumentType, Is.EqualTo("CUSDEC"));
        Assert.That(inspection.Identity.ControlReference, Is.EqualTo("msg-1"));

        var content = SbdhEnvelope.Unwrap(SafeXml.Load(new MemoryStream(envelope)), out var problem);
        Assert.That(problem, Is.Null);
        Assert.That(content!.Payload, Is.EqualTo(edifact));
        Assert.That(content.PayloadIsXml, Is.False);
        Assert.That(content.Header.Receiver, Is.EqualTo("THNSW"));

        var tampered = Encoding.UTF8.GetString(envelope).Replace("<sh:Type>CUSDEC</sh:Type>", "<sh:Type>CUSCAR</sh:Type>", StringComparison.Ordinal);
        var rejected = await Inspect(Encoding.UTF8.GetBytes(tampered), Partner(required: true, TestCertificates.Rsa));
        Assert.That(rejected.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code), Does.Contain("XMLDSIG-INVALID"));
    }

    [Test]
    public async Task AnEnvelopeKeepsTheInnerSignedDocumentAndItsPayloadIsGraded()
    {
        var (certPem, keyPem) = TestCertificates.WritePem(TestCertificates.Rsa, _folder);
        var options = XmlTestHub.Options();
        options.Identity.Certificate = certPem;
        options.Identity.PrivateKey = keyPem;
        var envelope = await Transform(XmlSigningTransformer.EnvelopeStep, SignedFormD(TestCertificates.Ecdsa), options);
        var inspection = await Inspect(envelope, Partner(required: true, TestCertificates.Rsa));
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
        Assert.That(inspection.Identity.DocumentType, Is.EqualTo("CertificateOfOrigin"));
        Assert.That(inspection.Identity.DestinationCountry, Is.EqualTo("TH"));
        var content = SbdhEnvelope.Unwrap(SafeXml.Load(new MemoryStream(envelope)), out _)!;
        Assert.That(XmlSignatures.Verify(SafeXml.Load(new MemoryStream(content.Payload)), [TestCertificates.Ecdsa], DateTimeOffset.UtcNow).Valid, Is.True, "the partner's own signature survives the envelope");
    }

    private static async Task<byte[]> Transform(string step, byte[] payload, HubOptions options)
    {
        var transformer = new XmlSigningTransformer(new HubCertificate(options, TimeProvider.System), TimeProvider.System, NullLogger<XmlSigningTransformer>.Instance);
        Assert.That(transformer.Handles(step), Is.True);
        var message = new MessageRecord
        {
            Id = "msg-1", ReceivedAt = DateTimeOffset.UtcNow, SourcePartner = "CN", SourceChannel = "in", RemoteName = "x", BlobHash = "",
            Length = payload.Length, Status = MessageStatus.Routed, DocumentType = "CUSDEC",
        };
        var destination = new PartnerOptions { Identifiers = ["THNSW"] };
        using var output = new MemoryStream();
        await transformer.TransformAsync(new TransformContext(step, message, "TH", destination, options), new MemoryStream(payload), output, CancellationToken.None);
        return output.ToArray();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
