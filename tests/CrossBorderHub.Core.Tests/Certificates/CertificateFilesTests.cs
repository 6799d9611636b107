using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Certificates;

public sealed class CertificateFilesTests() : TempFolderTests("certs-")
{
    [Test]
    public void ARolloverPemWithTwoCertificatesYieldsBoth()
    {
        var path = Path.Combine(Folder, "partner.pem");
        File.WriteAllText(path, TestCertificates.Rsa.ExportCertificatePem() + "\n" + TestCertificates.Ecdsa.ExportCertificatePem() + "\n");
        var loaded = TrustedCertificates.Load([path]);
        Assert.That(loaded.Select(c => c.Thumbprint), Is.EquivalentTo(new[] { TestCertificates.Rsa.Thumbprint, TestCertificates.Ecdsa.Thumbprint }));
        Assert.That(loaded.All(c => !c.HasPrivateKey), Is.True, "trust files carry public certificates only");
    }

    [Test]
    public void ADerCertificateLoadsAndAReplacedFileIsReadAgain()
    {
        var path = Path.Combine(Folder, "partner.cer");
        File.WriteAllBytes(path, TestCertificates.Rsa.RawData);
        Assert.That(TrustedCertificates.Load([path]).Single().Thumbprint, Is.EqualTo(TestCertificates.Rsa.Thumbprint));
        File.WriteAllBytes(path, TestCertificates.OtherRsa.RawData);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.That(TrustedCertificates.Load([path]).Single().Thumbprint, Is.EqualTo(TestCertificates.OtherRsa.Thumbprint));
    }

    [Test]
    public void PemAndPfxLoadWithTheirPrivateKeys()
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.Ecdsa, Folder);
        Assert.That(CertificateFiles.LoadWithPrivateKey(cert, key).HasPrivateKey, Is.True);
        var pfx = Path.Combine(Folder, "hub.pfx");
        File.WriteAllBytes(pfx, TestCertificates.Rsa.Export(X509ContentType.Pkcs12, "pw"));
        Assert.That(CertificateFiles.LoadWithPrivateKey(pfx, password: "pw").GetRSAPrivateKey(), Is.Not.Null);
        Assert.Throws<CryptographicException>(() => CertificateFiles.LoadWithPrivateKey(pfx, password: "wrong"));
        Assert.Throws<FileNotFoundException>(() => CertificateFiles.LoadWithPrivateKey(Path.Combine(Folder, "none.pfx")));
    }

    [Test]
    public void ExpiryWarningsStartThirtyDaysBeforeAndNameTheSetting()
    {
        var soon = TestCertificates.Create("rsa", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(29));
        var later = TestCertificates.Create("rsa", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(31));
        var policy = new SignaturePolicyOptions { TrustedCertificates = [TestCertificates.WritePem(later, Folder).Certificate, TestCertificates.WritePem(soon, Folder).Certificate] };
        var warnings = TrustedCertificates.ExpiryWarnings("CN", policy, DateTimeOffset.UtcNow).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.StartWith("Hub:Partners:CN:Signature:TrustedCertificates:1"));
        var expired = TrustedCertificates.ExpiryWarnings("CN", policy, DateTimeOffset.UtcNow.AddDays(40)).ToList();
        Assert.That(expired, Has.Count.EqualTo(2).And.All.Contains("expired"));
    }
}
