using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Xml.Tests;

/// <summary>Self-signed RSA and ECDSA certificates made on the fly, cached per kind, and their PEM files for xmlsec1.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyRsa = new(() => Create("rsa", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
    private static readonly Lazy<X509Certificate2> LazyEcdsa = new(() => Create("ecdsa", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
    private static readonly Lazy<X509Certificate2> LazyOtherRsa = new(() => Create("rsa", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), "CN=Other partner"));

    public static X509Certificate2 Rsa => LazyRsa.Value;

    public static X509Certificate2 Ecdsa => LazyEcdsa.Value;

    public static X509Certificate2 OtherRsa => LazyOtherRsa.Value;

    public static X509Certificate2 Get(string kind) => kind == "ecdsa" ? Ecdsa : Rsa;

    public static X509Certificate2 Create(string kind, DateTimeOffset notBefore, DateTimeOffset notAfter, string subject = "CN=Test partner, O=CrossBorderHub tests, C=TH")
    {
        CertificateRequest request;
        if (kind == "ecdsa")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            return Finish(request, notBefore, notAfter);
        }
        using (var rsa = RSA.Create(2048))
        {
            request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return Finish(request, notBefore, notAfter);
        }
    }

    private static X509Certificate2 Finish(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(notBefore, notAfter);
        // Re-import through PKCS#12 so the private key is usable on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
    }

    /// <summary>Writes cert.pem and key.pem (PKCS#8) into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256))[..12];
        var cert = Path.Combine(folder, $"{name}.cert.pem");
        var key = Path.Combine(folder, $"{name}.key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem() + "\n");
        AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(key, privateKey.ExportPkcs8PrivateKeyPem() + "\n");
        return (cert, key);
    }
}
