using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>The admin web's own TLS certificate (Hub:Admin:TlsCertificate), for an https Hub:Admin:Url.</summary>
internal sealed record AdminTls(int Port, X509Certificate2 Certificate)
{
    /// <summary>Null when the admin URL is not https or names no certificate (AdminExposure refused the cases that need one).</summary>
    public static AdminTls? Load(AdminOptions admin) =>
        Uri.TryCreate(admin.Url, UriKind.Absolute, out var url) && url.Scheme == "https" && !string.IsNullOrWhiteSpace(admin.TlsCertificate)
            ? new AdminTls(url.Port, CertificateFiles.LoadWithPrivateKey(admin.TlsCertificate, admin.TlsPrivateKey, admin.TlsCertificatePassword))
            : null;
}
