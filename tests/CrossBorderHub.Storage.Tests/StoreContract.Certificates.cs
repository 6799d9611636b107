using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;

namespace CrossBorderHub.Storage.Tests;

/// <summary>The partners' uploaded certificates (hub_certificates).</summary>
public abstract partial class StoreContract
{
    private DapperCertificateStore Certificates => new(((DapperMessageStore)Store).Dialect);

    private static StoredCertificate Certificate(string subject, string partner, CertificateUses uses, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var created = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        return PublicCertificate.ToStored(PublicCertificate.PublicOnly(created), partner, uses, T0, "admin");
    }

    [Test]
    public async Task Certificates_are_listed_soonest_expiry_first_and_pinned_once_per_partner()
    {
        var store = Certificates;
        var later = Certificate("new", "CN", CertificateUses.Signature | CertificateUses.As2, T0, T0.AddYears(2));
        var sooner = Certificate("old", "CN", CertificateUses.Signature, T0.AddYears(-1), T0.AddDays(20));
        Assert.That(await store.AddAsync(later, CancellationToken.None), Is.True);
        Assert.That(await store.AddAsync(sooner, CancellationToken.None), Is.True);
        Assert.That(await store.AddAsync(later with { Uses = CertificateUses.Ftps }, CancellationToken.None), Is.False, "the same certificate for the same partner");
        Assert.That(await store.AddAsync(later with { Partner = "TH" }, CancellationToken.None), Is.True, "another partner may pin the same certificate");
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.That(listed.Select(c => (c.Subject, c.Partner)), Is.EqualTo(new[] { ("CN=old", "CN"), ("CN=new", "CN"), ("CN=new", "TH") }));
        var read = listed[1];
        Assert.That((read.Uses, read.Fingerprint, read.NotAfter, read.UploadedAt, read.UploadedBy), Is.EqualTo((later.Uses, later.Fingerprint, later.NotAfter, T0, "admin")));
        Assert.That(read.Pem, Does.StartWith("-----BEGIN CERTIFICATE-----").And.Not.Contain("PRIVATE KEY"));
        Assert.That(X509Certificate2.CreateFromPem(read.Pem).HasPrivateKey, Is.False);
    }

    [Test]
    public async Task A_removed_certificate_is_returned_once_and_no_longer_listed()
    {
        var store = Certificates;
        await store.AddAsync(Certificate("gone", "CN", CertificateUses.Ftps, T0, T0.AddYears(1)), CancellationToken.None);
        var id = (await store.ListAsync(CancellationToken.None)).Single().Id;
        Assert.That((await store.RemoveAsync(id, CancellationToken.None))?.Subject, Is.EqualTo("CN=gone"));
        Assert.That(await store.RemoveAsync(id, CancellationToken.None), Is.Null);
        Assert.That(await store.ListAsync(CancellationToken.None), Is.Empty);
    }
}
