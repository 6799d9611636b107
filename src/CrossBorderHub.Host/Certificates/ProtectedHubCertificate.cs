using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;
using Microsoft.AspNetCore.DataProtection;

namespace CrossBorderHub.Host.Certificates;

/// <summary>
/// The hub's signing certificate uploaded in the admin web: the PFX (with its key) re-exported without a password and
/// encrypted with ASP.NET Core DataProtection in DataRoot/identity/hub-certificate.protected. The file's time stamp is
/// checked at every use, so the signer takes a replacement at the next message, in this and every other instance.
/// </summary>
internal sealed class ProtectedHubCertificate(HubOptions options, IDataProtectionProvider protection) : IHubCertificateReplacement
{
    private readonly string _path = Path.Combine(Path.GetFullPath(options.DataRoot), "identity", "hub-certificate.protected");
    private readonly IDataProtector _protector = protection.CreateProtector("CrossBorderHub.HubCertificate.v1");
    private readonly Lock _gate = new();
    private (DateTime Modified, X509Certificate2? Certificate) _loaded;

    public X509Certificate2? Current()
    {
        var modified = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : default;
        lock (_gate)
        {
            if (modified == default)
            {
                return _loaded.Certificate = null;
            }
            if (_loaded.Modified != modified || _loaded.Certificate is null)
            {
                var bytes = _protector.Unprotect(File.ReadAllBytes(_path));
                _loaded = (modified, X509CertificateLoader.LoadPkcs12(bytes, null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet));
            }
            return _loaded.Certificate;
        }
    }

    /// <summary>Checks the PFX opens with the password and holds a signing key, then stores it. Throws with the fix otherwise.</summary>
    public X509Certificate2 Replace(byte[] pfx, string? password, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(pfx, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException($"the PFX cannot be opened ({ex.Message}): check the file is a PFX/P12 and its password", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            throw new CryptographicException("the PFX holds no private key: export the hub's certificate with its key");
        }
        if (certificate.GetRSAPrivateKey() is null && certificate.GetECDsaPrivateKey() is null)
        {
            throw new CryptographicException("the PFX key is neither RSA nor ECDSA: the hub signs XML with RSA or ECDSA");
        }
        if (now.UtcDateTime > certificate.NotAfter.ToUniversalTime() || now.UtcDateTime < certificate.NotBefore.ToUniversalTime())
        {
            throw new CryptographicException($"the certificate is valid only from {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}: upload a current one");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllBytes(temporary, _protector.Protect(certificate.Export(X509ContentType.Pkcs12)));
        File.Move(temporary, _path, overwrite: true);
        return certificate;
    }

    /// <summary>Back to the configured certificate (Hub:Identity or the development one). False when none was uploaded.</summary>
    public bool Remove()
    {
        if (!File.Exists(_path))
        {
            return false;
        }
        File.Delete(_path);
        return true;
    }
}
