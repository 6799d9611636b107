using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Tests;

/// <summary>Interoperability with xmlsec1 (libxmlsec + OpenSSL), both directions, RSA and ECDSA, small and large.</summary>
[NonParallelizable]
public sealed class XmlSec1InteropTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"xmlsec-interop-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static string Document(string size) => size == "small" ? TestDocuments.Small : TestDocuments.OfSize(5 * 1024 * 1024);

    [TestCase("rsa", "small", "dom")]
    [TestCase("ecdsa", "small", "dom")]
    [TestCase("rsa", "small", "stream")]
    [TestCase("ecdsa", "small", "stream")]
    [TestCase("rsa", "large", "stream")]
    [TestCase("ecdsa", "large", "stream")]
    public void WhatTheHubSignsVerifiesWithXmlSec1AndATamperedCopyDoesNot(string kind, string size, string path)
    {
        var xmlsec = XmlSec1.Path;
        var certificate = TestCertificates.Get(kind);
        var (certPem, _) = TestCertificates.WritePem(certificate, _folder);
        var signedPath = Path.Combine(_folder, $"hub-{kind}-{size}-{path}.xml");
        if (path == "stream")
        {
            var signed = StreamingSignatures.TrySign(Encoding.UTF8.GetBytes(Document(size)), certificate);
            Assert.That(signed, Is.Not.Null, "the fast path applies to a plain UTF-8 document");
            File.WriteAllBytes(signedPath, signed!);
        }
        else
        {
            var document = SafeXml.LoadXml(Document(size));
            XmlSignatures.Sign(document, certificate);
            document.Save(signedPath);
        }

        var (exit, output) = XmlSec1.Run("--verify", "--trusted-pem", certPem, signedPath);
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("OK"));

        var tamperedPath = Path.Combine(_folder, $"hub-{kind}-{size}-{path}-tampered.xml");
        File.WriteAllText(tamperedPath, File.ReadAllText(signedPath).Replace("longan", "durian", StringComparison.Ordinal));
        var (tamperedExit, tamperedOutput) = XmlSec1.Run("--verify", "--trusted-pem", certPem, tamperedPath);
        Assert.That(tamperedExit, Is.Not.EqualTo(0), tamperedOutput);
    }

    [TestCase("rsa", "small")]
    [TestCase("ecdsa", "small")]
    [TestCase("rsa", "large")]
    [TestCase("ecdsa", "large")]
    public void WhatXmlSec1SignsVerifiesWithTheHub(string kind, string size)
    {
        var xmlsec = XmlSec1.Path;
        var certificate = TestCertificates.Get(kind);
        var (certPem, keyPem) = TestCertificates.WritePem(certificate, _folder);
        var method = kind == "ecdsa" ? XmlSignatures.EcdsaSha256 : XmlSignatures.RsaSha256;
        var templatePath = Path.Combine(_folder, $"template-{kind}-{size}.xml");
        File.WriteAllText(templatePath, XmlSec1.Template(Document(size), method), new UTF8Encoding(false));
        var signedPath = Path.Combine(_folder, $"xmlsec-{kind}-{size}.xml");

        var (exit, output) = XmlSec1.Run("--sign", "--privkey-pem", $"{keyPem},{certPem}", "--output", signedPath, templatePath);
        Assert.That(exit, Is.EqualTo(0), output);

        var result = XmlSignatures.Verify(SafeXml.Load(signedPath), [certificate], DateTimeOffset.UtcNow);
        Assert.That(result.Valid, Is.True, result.ToString());
        var streamed = StreamingSignatures.Verify(File.ReadAllBytes(signedPath), [certificate], DateTimeOffset.UtcNow);
        Assert.That(streamed.Valid, Is.True, streamed.ToString());

        var tampered = File.ReadAllText(signedPath).Replace("longan", "durian", StringComparison.Ordinal);
        Assert.That(XmlSignatures.Verify(SafeXml.LoadXml(tampered), [certificate], DateTimeOffset.UtcNow).Code, Is.EqualTo("XMLDSIG-INVALID"));
        Assert.That(StreamingSignatures.Verify(Encoding.UTF8.GetBytes(tampered), [certificate], DateTimeOffset.UtcNow).Code, Is.EqualTo("XMLDSIG-INVALID"));
    }
}
