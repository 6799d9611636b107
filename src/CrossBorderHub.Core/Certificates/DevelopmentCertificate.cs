using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// The self-signed certificate the hub generates on first start when Hub:Identity:Certificate is empty, so that
/// `hub run` signs out of the box. Kept in DataRoot as dev-certificate.pfx (no password: it is for development only)
/// and dev-certificate.pem (the public part, for partners and `hub verify --trust`).
/// </summary>
public static class DevelopmentCertificate
{
    public const string PfxName = "dev-certificate.pfx";
    public const string PemName = "dev-certificate.pem";

    public static X509Certificate2 GetOrCreate(string dataRoot, TimeProvider time)
    {
        var pfx = Path.Combine(dataRoot, PfxName);
        if (File.Exists(pfx))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(pfx, null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
            if (existing.NotAfter > time.GetUtcNow().UtcDateTime.AddDays(1))
            {
                // A kill of older code between the two files left the certificate without its public half (or with
                // the previous certificate's): the .pem always follows the .pfx.
                var pem = Path.Combine(dataRoot, PemName);
                var expected = existing.ExportCertificatePem() + "\n";
                if (!File.Exists(pem) || File.ReadAllText(pem) != expected)
                {
                    WriteReplacing(pem, System.Text.Encoding.ASCII.GetBytes(expected));
                }
                return existing;
            }
        }
        Directory.CreateDirectory(dataRoot);
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=CrossBorderHub development certificate, O=CrossBorderHub", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
        var bytes = created.Export(X509ContentType.Pkcs12);
        // The public half first: a kill before the .pfx lands makes the next start generate both again, while a kill
        // after it can no longer leave a certificate whose .pem is missing.
        WriteReplacing(Path.Combine(dataRoot, PemName), System.Text.Encoding.ASCII.GetBytes(created.ExportCertificatePem() + "\n"));
        WriteReplacing(pfx, bytes);
        return X509CertificateLoader.LoadPkcs12(bytes, null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
    }

    /// <summary>Temporary name, then rename: a crash never leaves half a file that blocks or misleads the next start.</summary>
    private static void WriteReplacing(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
