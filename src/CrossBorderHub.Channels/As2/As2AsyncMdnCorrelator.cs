using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// The send side's half of an asynchronous MDN arriving at POST /as2: the MDN answers something the hub sent, so it is
/// matched to its pending record by Original-Message-ID, verified against the certificates the sender pinned, judged
/// (disposition and MIC) and its verdict saved for the sending channel's next attempt.
/// </summary>
internal sealed class As2AsyncMdnCorrelator(IAs2State state, TimeProvider time, Func<string, string, string, CancellationToken, Task> record, ILogger logger)
{
    /// <summary>A multipart/report, bare or signed: an MDN, not a message.</summary>
    public static bool IsMdn(RawMimeEntity top)
    {
        if (top.MediaType == "multipart/report")
        {
            return true;
        }
        if (top.MediaType != "multipart/signed")
        {
            return false;
        }
        try
        {
            var parts = top.Parts();
            return parts.Count > 0 && parts[0].MediaType == "multipart/report";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public async Task<As2Response> ReceiveAsync(RawMimeEntity top, As2PartnerProfile partner, string from, CancellationToken cancellationToken)
    {
        try
        {
            // Read once without verifying to find the pending record (and so the certificates the sender pinned).
            var unverified = top.MediaType == "multipart/signed" ? top.Parts()[0] : top;
            var original = As2Mdn.Read(unverified, []).OriginalMessageId;
            var pending = original is null ? null : await state.FindPendingAsync(original, cancellationToken);
            if (pending is null)
            {
                logger.LogWarning("AS2 MDN from {Partner} for unknown Original-Message-ID {Original}: ignored", partner.Partner, PartnerText.Escape(original));
                return As2Response.Text(200, "MDN received; no pending message matches it");
            }
            var pinned = new X509Certificate2Collection();
            foreach (var pem in pending.PartnerCertificatePem)
            {
                pinned.ImportFromPem(pem);
            }
            pinned.AddRange(partner.Pinned());
            var report = As2Mdn.Read(top, pinned);
            var verdict = As2MdnCheck.Judge(report, pending.ExpectedMic);
            await state.SaveVerdictAsync(original!, new As2MdnVerdict(
                verdict.Delivered ? As2MdnState.Acknowledged : As2MdnState.Failed, verdict.Detail, time.GetUtcNow()), cancellationToken);
            logger.LogInformation("AS2 async MDN from {Partner} for {Original} (document {Document}): {Detail}", partner.Partner, PartnerText.Escape(original), pending.DocumentId, PartnerText.Escape(verdict.Detail));
            await record(pending.DocumentId, verdict.Delivered ? "as2-mdn-acknowledged" : "as2-mdn-failed", $"asynchronous MDN from {partner.Partner} for {original}: {verdict.Detail}", cancellationToken);
            return As2Response.Text(200, "MDN received");
        }
        catch (As2SecurityException ex)
        {
            logger.LogWarning("AS2 async MDN from {From} rejected: {Reason}", PartnerText.Escape(from), PartnerText.Escape(ex.Message));
            return As2Response.Text(403, $"MDN signature not accepted: {ex.Message}");
        }
        catch (FormatException ex)
        {
            logger.LogWarning("AS2 async MDN from {From} unreadable: {Reason}", PartnerText.Escape(from), PartnerText.Escape(ex.Message));
            return As2Response.Text(400, $"MDN not readable: {ex.Message}");
        }
    }
}
