using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// Reads an uploaded certificate (PEM, DER or PFX) and keeps the public certificate only: whatever key the upload
/// carries is dropped here, so no private key of a partner ever reaches the store.
/// </summary>
public static class PublicCertificate
{
    /// <summary>The certificate, without its key. Throws <see cref="CryptographicException"/> with the fix when unreadable.</summary>
    public static X509Certificate2 Read(byte[] bytes, string? password = null)
    {
        if (bytes.Length == 0)
        {
            throw new CryptographicException("the uploaded file is empty: choose a PEM, DER or PFX certificate file");
        }
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(text);
            // The first block of a chain file is the partner's own certificate; intermediates follow it.
            return PublicOnly(collection[0]);
        }
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            throw new CryptographicException("the PEM file holds no CERTIFICATE block (a key alone?): upload the partner's certificate");
        }
        try
        {
            return X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException)
        {
            // Not DER: a PKCS#12 bundle then.
        }
        try
        {
            var bundle = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
            var own = bundle.FirstOrDefault(c => c.HasPrivateKey) ?? bundle.FirstOrDefault()
                ?? throw new CryptographicException("the PFX holds no certificate: export the partner's certificate again");
            return PublicOnly(own);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException($"the file is neither a PEM, a DER nor a PFX certificate this password opens ({ex.Message}): check the file and, for a PFX, its password", ex);
        }
    }

    /// <summary>The certificate alone, from its DER bytes: drops any key attached to it.</summary>
    public static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    public static StoredCertificate ToStored(X509Certificate2 certificate, string partner, CertificateUses uses, DateTimeOffset at, string by) => new(
        0, partner, uses, CertificateFiles.Sha256Thumbprint(certificate), certificate.Subject, certificate.Issuer,
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        certificate.ExportCertificatePem(), at, by);
}
