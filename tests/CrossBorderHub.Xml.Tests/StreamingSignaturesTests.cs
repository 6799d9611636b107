using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Tests;

/// <summary>The streaming fast path agrees with the DOM implementation, both ways, and refuses the same attacks.</summary>
public sealed class StreamingSignaturesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static byte[] Small => Encoding.UTF8.GetBytes(TestDocuments.Small);

    [TestCase("rsa")]
    [TestCase("ecdsa")]
    public void FastSignedVerifiesWithTheDomAndTheFastPath(string kind)
    {
        var signed = StreamingSignatures.TrySign(Small, TestCertificates.Get(kind))!;
        Assert.That(signed, Is.Not.Null);
        Assert.That(Encoding.UTF8.GetString(signed), Does.StartWith(TestDocuments.Small[..TestDocuments.Small.LastIndexOf("</", StringComparison.Ordinal)]), "every byte before the signature is kept");
        Assert.That(XmlSignatures.Verify(SafeXml.Load(new MemoryStream(signed)), [TestCertificates.Get(kind)], Now).Valid, Is.True);
        Assert.That(StreamingSignatures.Verify(signed, [TestCertificates.Get(kind)], Now).Valid, Is.True);
    }

    [TestCase("rsa")]
    [TestCase("ecdsa")]
    public void DomSignedVerifiesWithTheFastPath(string kind)
    {
        var document = SafeXml.LoadXml(TestDocuments.Small);
        XmlSignatures.Sign(document, TestCertificates.Get(kind));
        var result = StreamingSignatures.Verify(XmlSignatures.Serialize(document), [TestCertificates.Get(kind)], Now);
        Assert.That(result.Valid, Is.True, result.ToString());
    }

    [Test]
    public void TamperingWrongKeyAndUnsignedGiveTheSameCodesAsTheDom()
    {
        var signed = StreamingSignatures.TrySign(Small, TestCertificates.Rsa)!;
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("1 200", "9 200", StringComparison.Ordinal));
        Assert.That(StreamingSignatures.Verify(tampered, [TestCertificates.Rsa], Now).Code, Is.EqualTo("XMLDSIG-INVALID"));
        Assert.That(StreamingSignatures.Verify(signed, [TestCertificates.OtherRsa], Now).Code, Is.EqualTo("XMLDSIG-UNTRUSTED"));
        Assert.That(StreamingSignatures.Verify(Small, [TestCertificates.Rsa], Now).Code, Is.EqualTo("XMLDSIG-UNSIGNED"));
        Assert.That(StreamingSignatures.Verify(signed, [TestCertificates.Rsa], Now.AddYears(5)).Code, Is.EqualTo("XMLDSIG-CERT-EXPIRED"));
    }

    [Test]
    public void WrappingIsRefused()
    {
        var signed = Encoding.UTF8.GetString(StreamingSignatures.TrySign(Small, TestCertificates.Rsa)!);
        var inner = signed[signed.IndexOf("<c:Certificate", StringComparison.Ordinal)..];
        var wrapped = Encoding.UTF8.GetBytes($"<c:Certificate xmlns:c=\"urn:example:test\"><c:Number>FORGED</c:Number><c:Wrapper>{inner}</c:Wrapper></c:Certificate>");
        Assert.That(StreamingSignatures.Verify(wrapped, [TestCertificates.Rsa], Now).Code, Is.EqualTo("XMLDSIG-WRAPPING"));
        var signature = signed[signed.IndexOf("<Signature", StringComparison.Ordinal)..signed.LastIndexOf("</c:Certificate>", StringComparison.Ordinal)];
        var twice = Encoding.UTF8.GetBytes(signed.Replace("</c:Certificate>", signature + "</c:Certificate>", StringComparison.Ordinal));
        Assert.That(StreamingSignatures.Verify(twice, [TestCertificates.Rsa], Now).Code, Is.EqualTo("XMLDSIG-WRAPPING"));
    }

    [TestCase("<a>x</a><!-- trailing comment -->")]
    [TestCase("<a/>")]
    [TestCase("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>x</a>")]
    public void UnusualDocumentsFallBackToTheDomAndStillSign(string xml)
    {
        var bytes = Encoding.Latin1.GetBytes(xml);
        Assert.That(StreamingSignatures.TrySign(bytes, TestCertificates.Rsa), Is.Null);
        var signed = StreamingSignatures.Sign(bytes, TestCertificates.Rsa);
        Assert.That(StreamingSignatures.Verify(signed, [TestCertificates.Rsa], Now).Valid, Is.True);
    }
}
