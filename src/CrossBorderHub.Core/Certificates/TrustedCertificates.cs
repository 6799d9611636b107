using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// A partner's pinned certificates (Hub:Partners:P:Signature:TrustedCertificates), read from their files and kept
/// until a file changes, so a rollover is picked up without a restart.
/// </summary>
public static class TrustedCertificates
{
    private static readonly ConcurrentDictionary<string, (DateTime Modified, X509Certificate2Collection Certificates)> Cache = new(StringComparer.Ordinal);

    /// <summary>Days before expiry from which a trusted certificate raises a warning.</summary>
    public const int ExpiryWarningDays = 30;

    /// <summary>Every certificate of every configured file; a file that fails to load throws (start-up checks catch that earlier).</summary>
    public static IReadOnlyList<X509Certificate2> Load(IEnumerable<string> paths)
    {
        var all = new List<X509Certificate2>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            var modified = File.GetLastWriteTimeUtc(full);
            if (!Cache.TryGetValue(full, out var entry) || entry.Modified != modified)
            {
                entry = (modified, CertificateFiles.LoadTrusted(full));
                Cache[full] = entry;
            }
            all.AddRange(entry.Certificates);
        }
        return all;
    }

    /// <summary>Messages for trusted certificates that expire within <see cref="ExpiryWarningDays"/> days (or already did).</summary>
    public static IEnumerable<string> ExpiryWarnings(string partner, SignaturePolicyOptions policy, DateTimeOffset now)
    {
        for (var i = 0; i < policy.TrustedCertificates.Count; i++)
        {
            X509Certificate2Collection certificates;
            try
            {
                certificates = [.. Load([policy.TrustedCertificates[i]])];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                continue;
            }
            foreach (var certificate in certificates)
            {
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
                var left = notAfter - now;
                if (left <= TimeSpan.FromDays(ExpiryWarningDays))
                {
                    yield return left <= TimeSpan.Zero
                        ? $"Hub:Partners:{partner}:Signature:TrustedCertificates:{i}: trusted certificate '{certificate.Subject}' expired on {notAfter:yyyy-MM-dd}: ask the partner for its new certificate and add it"
                        : $"Hub:Partners:{partner}:Signature:TrustedCertificates:{i}: trusted certificate '{certificate.Subject}' expires on {notAfter:yyyy-MM-dd} ({(int)Math.Ceiling(left.TotalDays)} days): ask the partner for its next certificate and add it beside this one";
                }
            }
        }
    }
}

/// <summary>Start-up check: every partner's trusted certificate file exists and loads.</summary>
public sealed class TrustedCertificatesCheck : Processing.IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        foreach (var (partner, settings) in options.Partners)
        {
            var policy = settings.Signature;
            if (policy.Required && policy.TrustedCertificates.Count == 0)
            {
                errors.Add($"Hub:Partners:{partner}:Signature:Required is true but Hub:Partners:{partner}:Signature:TrustedCertificates is empty: add the partner's certificate file (PEM or DER)");
            }
            for (var i = 0; i < policy.TrustedCertificates.Count; i++)
            {
                var path = policy.TrustedCertificates[i];
                var key = $"Hub:Partners:{partner}:Signature:TrustedCertificates:{i}";
                try
                {
                    if (TrustedCertificates.Load([path]).Count == 0)
                    {
                        errors.Add($"{key} '{path}' holds no certificate: give a PEM or DER certificate file");
                    }
                }
                catch (FileNotFoundException)
                {
                    errors.Add($"{key} '{path}' does not exist: copy the partner's certificate there or correct the path");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    errors.Add($"{key} '{path}' cannot be read ({ex.Message}): give a readable PEM or DER certificate file");
                }
            }
        }
    }
}
