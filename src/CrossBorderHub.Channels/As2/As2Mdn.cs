using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CrossBorderHub.Channels.As2;


/// <summary>What an MDN says, as read by the sender.</summary>
internal sealed record As2MdnReport(
    string? OriginalMessageId,
    string Disposition,
    bool Processed,
    string? Modifier,
    string? Mic,
    string? MicAlgorithm,
    bool Signed);

/// <summary>Builds (RFC 3798 multipart/report, optionally RFC 1847 signed) and reads AS2 message disposition notifications.</summary>
internal static class As2Mdn
{
    public const string ReportingUa = "CrossBorderHub AS2";

    /// <param name="modifier">null for a positive MDN; else the failure modifier (decryption-failed, ...).</param>
    /// <param name="mic">"base64digest, sha-256" or null when none was computed.</param>
    public static MimeBody Build(
        string hubId, string originalMessageId, string? mic, string? modifier, string explanation,
        X509Certificate2? signer, HashAlgorithmName signDigest, DateTimeOffset now)
    {
        var boundary = "----=_report_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var disposition = modifier is null
            ? "automatic-action/MDN-sent-automatically; processed"
            : $"automatic-action/MDN-sent-automatically; processed/error: {modifier}";
        var notification = new StringBuilder()
            .Append("Reporting-UA: ").Append(ReportingUa).Append("\r\n")
            .Append("Original-Recipient: rfc822; ").Append(hubId).Append("\r\n")
            .Append("Final-Recipient: rfc822; ").Append(hubId).Append("\r\n")
            .Append("Original-Message-ID: ").Append(originalMessageId).Append("\r\n")
            .Append("Disposition: ").Append(disposition).Append("\r\n");
        if (mic is not null)
        {
            notification.Append("Received-Content-MIC: ").Append(mic).Append("\r\n");
        }
        var reportType = $"multipart/report; report-type=disposition-notification; boundary=\"{boundary}\"";
        var report = new StringBuilder()
            .Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: text/plain; charset=us-ascii\r\n")
            .Append("Content-Transfer-Encoding: 7bit\r\n\r\n")
            .Append(explanation.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)).Append("\r\n")
            .Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: message/disposition-notification\r\n")
            .Append("Content-Transfer-Encoding: 7bit\r\n\r\n")
            .Append(notification)
            .Append("\r\n--").Append(boundary).Append("--\r\n");
        var reportBody = Encoding.ASCII.GetBytes(report.ToString());
        if (signer is null)
        {
            return new MimeBody(reportType, reportBody);
        }
        var entity = Concat(Encoding.ASCII.GetBytes($"Content-Type: {reportType}\r\n\r\n"), reportBody);
        return As2MimeBuilder.Sign(entity, signer, signDigest, now);
    }

    /// <summary>
    /// Reads an MDN, checking its signature against the partner's pinned certificates when it is signed.
    /// Throws <see cref="As2SecurityException"/> when the signature is bad, <see cref="FormatException"/> when it is no MDN.
    /// </summary>
    public static As2MdnReport Read(RawMimeEntity top, X509Certificate2Collection pinned)
    {
        var signed = false;
        var entity = top;
        if (entity.MediaType == "multipart/signed")
        {
            var parts = entity.Parts();
            if (parts.Count < 2)
            {
                throw new FormatException("signed MDN has fewer than two parts");
            }
            As2Cms.VerifyDetachedTolerant(parts[0].Raw, parts[1].DecodedBody(), pinned);
            signed = true;
            entity = parts[0];
        }
        if (entity.MediaType != "multipart/report")
        {
            throw new FormatException($"expected an MDN (multipart/report) but got {entity.MediaType}");
        }
        var notificationPart = entity.Parts().FirstOrDefault(p => p.MediaType == "message/disposition-notification")
            ?? throw new FormatException("the MDN has no message/disposition-notification part");
        var fields = RawMimeEntity.Parse(Concat(notificationPart.DecodedBody(), "\r\n\r\n"u8.ToArray()));
        var disposition = fields.Header("Disposition") ?? throw new FormatException("the MDN has no Disposition field");
        var (processed, modifier) = ParseDisposition(disposition);
        string? mic = null;
        string? micAlgorithm = null;
        var micField = fields.Header("Received-Content-MIC");
        if (micField is not null)
        {
            var comma = micField.LastIndexOf(',');
            mic = (comma < 0 ? micField : micField[..comma]).Trim();
            micAlgorithm = comma < 0 ? null : micField[(comma + 1)..].Trim();
        }
        return new As2MdnReport(fields.Header("Original-Message-ID"), disposition, processed, modifier, mic, micAlgorithm, signed);
    }

    /// <summary>"automatic-action/MDN-sent-automatically; processed/error: decryption-failed" -> (false, "decryption-failed").</summary>
    public static (bool Processed, string? Modifier) ParseDisposition(string disposition)
    {
        var semicolon = disposition.IndexOf(';');
        var type = (semicolon < 0 ? disposition : disposition[(semicolon + 1)..]).Trim();
        var slash = type.IndexOf('/');
        var head = (slash < 0 ? type : type[..slash]).Trim().ToLowerInvariant();
        if (slash < 0)
        {
            return (head == "processed", head == "processed" ? null : head);
        }
        var rest = type[(slash + 1)..];
        var colon = rest.IndexOf(':');
        var severity = (colon < 0 ? rest : rest[..colon]).Trim().ToLowerInvariant();
        var modifier = colon < 0 ? severity : rest[(colon + 1)..].Trim();
        // "processed/warning: ..." is still processed; error and failure are not.
        return (head == "processed" && severity == "warning", modifier);
    }

    internal static byte[] Concat(byte[] first, byte[] second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result, 0);
        second.CopyTo(result, first.Length);
        return result;
    }
}
