using System.Globalization;
using CrossBorderHub.Core.Alerts;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Workers;

namespace CrossBorderHub.Host.Alerts;

/// <summary>
/// The conditions that hold now, one <see cref="AlertRecord"/> (open) per condition. The job compares them with the
/// open alerts in the store: what is new is raised, what is gone is cleared. Rules are off unless configured.
/// </summary>
internal sealed class AlertRules(HubOptions options, IMessageQueries messages, ChannelPollStatus polls, HubCertificate hubCertificate, CertificatePins pins,
    IConfiguration configuration, TimeProvider time, ILogger<AlertRules> logger)
{
    /// <summary>Dead letters alerted one by one, up to this many (more are one "and N more" in the log, not mails).</summary>
    public const int MaxDeadLetters = 200;

    public async Task<IReadOnlyList<AlertRecord>> ActiveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var alerts = new List<AlertRecord>();
        var rules = options.Alerts;
        if (rules.DeadLetters)
        {
            foreach (var m in await messages.FindAsync(new MessageQuery { Status = MessageStatus.DeadLettered, Limit = MaxDeadLetters }, cancellationToken))
            {
                alerts.Add(new AlertRecord($"dead-letter:{m.Id}", "dead-letter", $"Message {m.Id} ({m.RemoteName} from {m.SourcePartner}) is dead-lettered",
                    $"{m.Reason} Replay it from /messages/{m.Id} or with `hub replay {m.Id}` once the cause is fixed.", now, null));
            }
        }
        if (rules.Rejections is { } rejections)
        {
            var recent = await messages.FindAsync(new MessageQuery { Status = MessageStatus.Rejected, From = now - rejections.Window, Limit = rejections.Count }, cancellationToken);
            if (recent.Count >= rejections.Count)
            {
                alerts.Add(new AlertRecord("rejections", "rejections", $"{rejections.Count} or more messages rejected within {rejections.Window}",
                    $"latest: {string.Join("; ", recent.Take(5).Select(m => $"{m.Id} {m.RemoteName} from {m.SourcePartner}: {m.Reason}"))}. See /?status=Rejected.", now, null));
            }
        }
        if (rules.ChannelFailingFor is { } failingFor)
        {
            var last = polls.Snapshot();
            foreach (var (partner, since) in polls.FailingSince().Where(f => now - f.Value >= failingFor))
            {
                alerts.Add(new AlertRecord($"channel:{partner}", "channel-failing", $"Partner {partner}'s inbound channel has failed since {since:u}",
                    $"every poll for {(now - since).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes failed; last error: {last.GetValueOrDefault(partner)?.Error}", now, null));
            }
        }
        if (rules.CertificateExpiresWithinDays is { } days)
        {
            foreach (var (where, certificate) in Certificates())
            {
                using (certificate)
                {
                    var expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                    if (expires - now <= TimeSpan.FromDays(days))
                    {
                        var fingerprint = CertificateFiles.Sha256Thumbprint(certificate);
                        alerts.Add(new AlertRecord($"certificate:{where}:{fingerprint}", "certificate-expiry",
                            expires <= now ? $"The certificate of {where} expired on {expires:u}" : $"The certificate of {where} expires on {expires:u}",
                            $"{certificate.Subject} (issuer {certificate.Issuer}, SHA-256 {fingerprint}): replace it before it expires.", now, null));
                    }
                }
            }
        }
        return alerts;
    }

    /// <summary>
    /// Whether an open alert that <see cref="ActiveAsync"/> did not return still holds: only a dead letter beyond the
    /// first <see cref="MaxDeadLetters"/> can, and it must not be cleared for that.
    /// </summary>
    public async Task<bool> StillHoldsAsync(AlertRecord open, CancellationToken cancellationToken) =>
        open.Key.StartsWith("dead-letter:", StringComparison.Ordinal) && options.Alerts.DeadLetters
        && (await messages.GetAsync(open.Key["dead-letter:".Length..], cancellationToken))?.Status == MessageStatus.DeadLettered;

    /// <summary>Every certificate the configuration names or the admin web pinned (the store's), with where it is used. One that does not load is logged and skipped (start-up checks report it).</summary>
    private List<(string Where, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate)> Certificates()
    {
        var found = new List<(string, System.Security.Cryptography.X509Certificates.X509Certificate2)>();
        void Files(string where, IEnumerable<string?> paths)
        {
            foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                try
                {
                    found.AddRange(CertificateFiles.LoadTrusted(path!).Select(c => (where, c)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    logger.LogWarning("Certificate expiry alert: {Where} certificate {Path} cannot be read: {Error}", where, path, ex.Message);
                }
            }
        }
        found.Add(("the hub (Hub:Identity)", System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(hubCertificate.Certificate.RawData)));
        Files("the admin TLS listener (Hub:Admin)", [options.Admin.TlsCertificate]);
        Files("the AS2 TLS listener (Hub:As2)", [configuration["Hub:As2:TlsCertificate"]]);
        foreach (var (name, partner) in options.Partners)
        {
            Files($"partner {name} (Signature)", partner.Signature.TrustedCertificates);
            foreach (var channel in new[] { partner.Inbound, partner.Outbound }.OfType<IConfigurationSection>())
            {
                Files($"partner {name} ({channel.Key})", channel.GetSection("PartnerCertificates").GetChildren().Concat(channel.GetSection("TrustedCertificates").GetChildren()).Select(c => c.Value));
            }
        }
        // Uploaded pins expire as files do; during a rollover the old one alerts until it is removed (the new one covers it).
        found.AddRange(pins.All.Select(p => ($"partner {p.Partner} (uploaded, {p.Uses})", System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(p.Pem))));
        return found;
    }
}
