using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Host.Certificates;

/// <summary>One certificate the hub uses, wherever it comes from (the store, a configured file, the hub's own, TLS).</summary>
internal sealed record CertificateEntry(
    string Source,
    long? Id,
    string? Partner,
    string UsedFor,
    string Subject,
    string Issuer,
    string Fingerprint,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    string? Error = null)
{
    /// <summary>"expired", "expiring" (within <see cref="TrustedCertificates.ExpiryWarningDays"/> days), "valid", or "unknown" (a fingerprint pin, an unreadable file).</summary>
    public string State(DateTimeOffset now) => NotAfter is not { } after ? "unknown"
        : after < now ? "expired"
        : NotBefore > now ? "not yet valid"
        : after - now <= TimeSpan.FromDays(TrustedCertificates.ExpiryWarningDays) ? "expiring" : "valid";
}

/// <summary>
/// Every certificate of the hub in one list, soonest expiry first: the store's, the partners' configured files
/// (Signature and AS2 TrustedCertificates, FTPS CertificateSha256 pins), the hub's own signing certificate (and an
/// uploaded replacement) and the admin TLS certificate. A file that fails to load is an entry with its error.
/// </summary>
internal sealed class CertificateInventory(HubOptions options, ICertificateStore store, HubCertificate hub, ProtectedHubCertificate replacement)
{
    public async Task<IReadOnlyList<CertificateEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<CertificateEntry>();
        foreach (var stored in await store.ListAsync(cancellationToken))
        {
            entries.Add(new CertificateEntry("store", stored.Id, stored.Partner, CertificateUseNames.Format(stored.Uses), stored.Subject, stored.Issuer,
                stored.Fingerprint, stored.NotBefore, stored.NotAfter));
        }
        var dataRoot = Path.GetFullPath(options.DataRoot);
        foreach (var (partner, settings) in options.Partners)
        {
            foreach (var file in settings.Signature.TrustedCertificates)
            {
                entries.AddRange(FromFile(file, partner, $"signature (Hub:Partners:{partner}:Signature:TrustedCertificates)"));
            }
            if (settings.Inbound is { } inbound && string.Equals(inbound["Type"], "as2", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var file in inbound.GetSection("TrustedCertificates").GetChildren().Select(c => c.Value).OfType<string>())
                {
                    entries.AddRange(FromFile(Path.IsPathRooted(file) ? file : Path.Combine(dataRoot, file), partner, $"as2 (Hub:Partners:{partner}:Inbound:TrustedCertificates)"));
                }
            }
            foreach (var (direction, section) in new[] { ("Inbound", settings.Inbound), ("Outbound", settings.Outbound) })
            {
                if (section?["CertificateSha256"] is { Length: > 0 } pin)
                {
                    entries.Add(new CertificateEntry("config", null, partner, $"ftps (Hub:Partners:{partner}:{direction}:CertificateSha256)", "(fingerprint pin only)", "", pin, null, null));
                }
            }
        }
        entries.Add(Own(hub.Configured, string.IsNullOrWhiteSpace(options.Identity.Certificate) ? "hub signing (generated development certificate)" : "hub signing (Hub:Identity:Certificate)",
            replacement.Current() is null ? null : "replaced by the uploaded certificate"));
        if (replacement.Current() is { } uploaded)
        {
            entries.Add(Own(uploaded, "hub signing (uploaded, in force)", null));
        }
        if (!string.IsNullOrWhiteSpace(options.Admin.TlsCertificate))
        {
            entries.AddRange(FromFile(options.Admin.TlsCertificate, null, "admin TLS (Hub:Admin:TlsCertificate)", "tls", options.Admin.TlsCertificatePassword));
        }
        return [.. entries.OrderBy(e => e.NotAfter ?? DateTimeOffset.MaxValue).ThenBy(e => e.Subject, StringComparer.Ordinal)];
    }

    private static CertificateEntry Own(X509Certificate2 certificate, string usedFor, string? note) =>
        Entry(certificate, "hub", null, note is null ? usedFor : $"{usedFor}; {note}");

    private static IEnumerable<CertificateEntry> FromFile(string path, string? partner, string usedFor, string source = "file", string? password = null)
    {
        X509Certificate2Collection certificates;
        try
        {
            // The TLS file may be a PFX with its key: only its public part is shown.
            certificates = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? [PublicCertificate.Read(File.ReadAllBytes(path), password)]
                : CertificateFiles.LoadTrusted(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return [new CertificateEntry(source, null, partner, $"{usedFor}: {path}", "(unreadable)", "", "", null, null, ex.Message)];
        }
        return certificates.Select(c => Entry(c, source, partner, $"{usedFor}: {path}"));
    }

    private static CertificateEntry Entry(X509Certificate2 c, string source, string? partner, string usedFor) => new(
        source, null, partner, usedFor, c.Subject, c.Issuer, CertificateFiles.Sha256Thumbprint(c),
        new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero));
}
