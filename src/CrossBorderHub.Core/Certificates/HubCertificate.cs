using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// A replacement for the configured hub certificate, uploaded through the admin web; null while none is uploaded.
/// Asked at every use, so a replacement applies to the next message without a restart.
/// </summary>
public interface IHubCertificateReplacement
{
    X509Certificate2? Current();
}

/// <summary>
/// The hub's own signing certificate: an uploaded replacement when there is one, else Hub:Identity (loaded once),
/// else a generated development one.
/// </summary>
public sealed class HubCertificate(HubOptions options, TimeProvider time, IHubCertificateReplacement? replacement = null)
{
    private readonly Lazy<X509Certificate2> _certificate = new(() => Load(options, time));

    public X509Certificate2 Certificate => replacement?.Current() ?? _certificate.Value;

    /// <summary>The certificate from hub.json (or the development one), whatever was uploaded: what the certificates page lists too.</summary>
    public X509Certificate2 Configured => _certificate.Value;

    public bool IsReplaced => replacement?.Current() is not null;

    private static X509Certificate2 Load(HubOptions options, TimeProvider time)
    {
        var identity = options.Identity;
        return string.IsNullOrWhiteSpace(identity.Certificate)
            ? DevelopmentCertificate.GetOrCreate(Path.GetFullPath(options.DataRoot), time)
            : CertificateFiles.LoadWithPrivateKey(identity.Certificate, identity.PrivateKey, identity.CertificatePassword);
    }
}

/// <summary>Start-up check: the configured hub certificate must load (file present, key present, password right).</summary>
public sealed class HubCertificateCheck : Processing.IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        var identity = options.Identity;
        if (string.IsNullOrWhiteSpace(identity.Certificate))
        {
            return;
        }
        try
        {
            using var _ = CertificateFiles.LoadWithPrivateKey(identity.Certificate, identity.PrivateKey, identity.CertificatePassword);
        }
        catch (FileNotFoundException)
        {
            errors.Add($"Hub:Identity:Certificate '{identity.Certificate}' does not exist: give the path of the hub's PFX or PEM certificate, or leave it empty to use a generated development certificate.");
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"Hub:Identity:Certificate '{identity.Certificate}' cannot be loaded ({ex.Message}): check the file format, Hub:Identity:PrivateKey and the password in Hub__Identity__CertificatePassword.");
        }
    }
}
