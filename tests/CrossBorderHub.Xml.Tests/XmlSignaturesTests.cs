using System.Security.Cryptography.X509Certificates;
using System.Xml;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Tests;

public sealed class XmlSignaturesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static XmlDocument Signed(string kind, string xml = TestDocuments.Small)
    {
        var document = SafeXml.LoadXml(xml);
        XmlSignatures.Sign(document, TestCertificates.Get(kind));
        return document;
    }

    private static XmlDocument Reload(XmlDocument document) => SafeXml.LoadXml(document.OuterXml);

    [TestCase("rsa", XmlSignatures.RsaSha256)]
    [TestCase("ecdsa", XmlSignatures.EcdsaSha256)]
    public void ASignedDocumentVerifiesWithThePinnedCertificate(string kind, string method)
    {
        var document = Reload(Signed(kind));
        Assert.That(document.OuterXml, Does.Contain(method));
        Assert.That(document.OuterXml, Does.Contain("X509Certificate"));
        var result = XmlSignatures.Verify(document, [TestCertificates.Get(kind)], Now);
        Assert.That(result.Valid, Is.True, result.ToString());
        Assert.That(result.SignedBy!.Thumbprint, Is.EqualTo(TestCertificates.Get(kind).Thumbprint));
    }

    [TestCase("rsa")]
    [TestCase("ecdsa")]
    public void TamperedContentFails(string kind)
    {
        var text = Signed(kind).OuterXml.Replace("1 200 cartons", "9 200 cartons", StringComparison.Ordinal);
        var result = XmlSignatures.Verify(SafeXml.LoadXml(text), [TestCertificates.Get(kind)], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-INVALID"));
    }

    [Test]
    public void TheWrongKeyFailsEvenThoughTheDocumentCarriesItsOwnCertificate()
    {
        var result = XmlSignatures.Verify(Reload(Signed("rsa")), [TestCertificates.OtherRsa], Now);
        Assert.That(result.Valid, Is.False);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-UNTRUSTED"));
    }

    [Test]
    public void RolloverAcceptsAnyOfSeveralPinnedCertificates()
    {
        var result = XmlSignatures.Verify(Reload(Signed("ecdsa")), [TestCertificates.OtherRsa, TestCertificates.Ecdsa], Now);
        Assert.That(result.Valid, Is.True, result.ToString());
    }

    [Test]
    public void AnExpiredCertificateFails()
    {
        var expired = TestCertificates.Create("rsa", Now.AddYears(-2), Now.AddDays(-1));
        var document = SafeXml.LoadXml(TestDocuments.Small);
        XmlSignatures.Sign(document, expired);
        var result = XmlSignatures.Verify(Reload(document), [expired], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-CERT-EXPIRED"));
    }

    [Test]
    public void AnUnsignedDocumentIsReportedUnsigned()
    {
        var result = XmlSignatures.Verify(SafeXml.LoadXml(TestDocuments.Small), [TestCertificates.Rsa], Now);
        Assert.That(result.Present, Is.False);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-UNSIGNED"));
    }

    [Test]
    public void WrappingTheSignedDocumentInsideAnotherIsRejected()
    {
        // Classic wrapping: the attacker's root is processed, the original signed element hides inside it.
        var signed = Signed("rsa");
        var attack = new XmlDocument { PreserveWhitespace = true };
        attack.LoadXml("<c:Certificate xmlns:c=\"urn:example:test\"><c:Number>FORGED</c:Number><c:Wrapper/></c:Certificate>");
        attack.DocumentElement!.LastChild!.AppendChild(attack.ImportNode(signed.DocumentElement!, true));
        var result = XmlSignatures.Verify(Reload(attack), [TestCertificates.Rsa], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-WRAPPING"));
    }

    [Test]
    public void ASecondSignatureIsRejected()
    {
        var document = Signed("rsa");
        XmlSignatures.Sign(document, TestCertificates.Rsa);
        var result = XmlSignatures.Verify(Reload(document), [TestCertificates.Rsa], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-WRAPPING"));
    }

    [Test]
    public void AReferenceToAnElementOtherThanTheRootIsRejected()
    {
        var text = Signed("rsa").OuterXml
            .Replace("<c:Item hs=", "<c:Item Id=\"item\" hs=", StringComparison.Ordinal)
            .Replace("URI=\"\"", "URI=\"#item\"", StringComparison.Ordinal);
        var result = XmlSignatures.Verify(SafeXml.LoadXml(text), [TestCertificates.Rsa], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-WRAPPING"));
    }

    [Test]
    public void AnXPathTransformIsRejected()
    {
        var text = Signed("rsa").OuterXml.Replace(
            "<Transforms>",
            "<Transforms><Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><XPath>1</XPath></Transform>",
            StringComparison.Ordinal);
        var result = XmlSignatures.Verify(SafeXml.LoadXml(text), [TestCertificates.Rsa], Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-TRANSFORM"));
    }

    [Test]
    public void NoPinnedCertificateMeansNoTrust()
    {
        var result = XmlSignatures.Verify(Reload(Signed("rsa")), Array.Empty<X509Certificate2>(), Now);
        Assert.That(result.Code, Is.EqualTo("XMLDSIG-NO-TRUST"));
    }
}
