using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// Loads certificates from files — the one mechanism used by XML-DSig, AS2 and TLS pinning. PFX/P12 by extension,
/// otherwise PEM (certificate and key in one file, or the key in a second file) or DER. Passwords are never logged.
/// </summary>
public static class CertificateFiles
{
    /// <summary>A certificate with its private key, for signing and decrypting.</summary>
    public static X509Certificate2 LoadWithPrivateKey(string path, string? privateKeyPath = null, string? password = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"certificate file '{path}' does not exist", path);
        }
        X509Certificate2 certificate;
        if (IsPkcs12(path))
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        else if (string.IsNullOrEmpty(password))
        {
            certificate = X509Certificate2.CreateFromPemFile(path, privateKeyPath);
        }
        else
        {
            certificate = X509Certificate2.CreateFromEncryptedPemFile(path, password, privateKeyPath);
        }
        if (!certificate.HasPrivateKey)
        {
            throw new CryptographicException($"certificate file '{path}' has no private key: give a PFX with its key, or a PEM key file");
        }
        return certificate;
    }

    /// <summary>Every certificate in a PEM (one or more blocks) or DER file: a partner's trusted certificates.</summary>
    public static X509Certificate2Collection LoadTrusted(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"certificate file '{path}' does not exist", path);
        }
        var collection = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPem(text);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        return collection;
    }

    /// <summary>Lower-case hex SHA-256 of the DER certificate: what pinning compares.</summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
}
