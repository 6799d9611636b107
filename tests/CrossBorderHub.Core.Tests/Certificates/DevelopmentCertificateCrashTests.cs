using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Certificates;

/// <summary>
/// The development certificate is two files, dev-certificate.pfx and dev-certificate.pem (what partners and
/// `hub verify --trust` use). The old code wrote the .pem after the .pfx, so a kill between them left a .pfx the next
/// start loaded as it was, and a .pem that was missing (first start) or the previous certificate's (renewal) for good.
/// </summary>
public sealed class DevelopmentCertificateCrashTests() : TempFolderTests("devcert-")
{
    [Test]
    public void A_kill_between_writing_the_pfx_and_the_pem_does_not_leave_the_pem_missing_after_restart()
    {
        var first = DevelopmentCertificate.GetOrCreate(Folder, TimeProvider.System);
        // The state the kill left: the .pfx in place, no .pem.
        File.Delete(Path.Combine(Folder, DevelopmentCertificate.PemName));

        var restarted = DevelopmentCertificate.GetOrCreate(Folder, TimeProvider.System);

        Assert.That(restarted.Thumbprint, Is.EqualTo(first.Thumbprint), "the existing certificate is kept");
        Assert.That(PemThumbprint(), Is.EqualTo(first.Thumbprint), "the .pem is the .pfx's public half again");
    }

    [Test]
    public void A_kill_between_writing_the_pfx_and_the_pem_does_not_leave_the_previous_certificates_pem()
    {
        var certificate = DevelopmentCertificate.GetOrCreate(Folder, TimeProvider.System);
        // The state a kill during renewal left: the new .pfx beside the previous certificate's .pem.
        File.WriteAllText(Path.Combine(Folder, DevelopmentCertificate.PemName), TestCertificates.Rsa.ExportCertificatePem() + "\n");

        DevelopmentCertificate.GetOrCreate(Folder, TimeProvider.System);

        Assert.That(PemThumbprint(), Is.EqualTo(certificate.Thumbprint));
    }

    private string PemThumbprint()
    {
        var pem = Path.Combine(Folder, DevelopmentCertificate.PemName);
        Assert.That(File.Exists(pem), Is.True, "dev-certificate.pem exists");
        return X509Certificate2.CreateFromPem(File.ReadAllText(pem)).Thumbprint;
    }
}
