using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Asynchronous MDNs for what the hub sent, both ends. At POST /as2 (<see cref="ReceiveAsync"/>): the MDN is matched to
/// its pending record by Original-Message-ID, verified against the certificates the sender pinned, judged (disposition
/// and MIC) and its verdict saved. In the sending channel's next attempt (<see cref="CheckAsync"/>): that verdict, or
/// the wait for it, becomes the delivery's result.
/// </summary>
/// <param name="record">Audit events on the hub's message (receiving side only).</param>
internal sealed class As2AsyncMdnCorrelator(IAs2State state, TimeProvider time, Func<string, string, string, CancellationToken, Task>? record, ILogger logger)
{
    /// <summary>
    /// What an attempt answers for a message posted before: Delivered once a positive MDN with the right MIC came in,
    /// Rejected on a negative one, RetryLater while waiting within <paramref name="mdnTimeout"/>. Null when it must be
    /// sent (again, with the same Message-ID): never posted, the POST failed, the MDN timed out or its MIC did not match.
    /// </summary>
    public async Task<SendResult?> CheckAsync(string messageId, string partner, TimeSpan mdnTimeout, CancellationToken cancellationToken)
    {
        if (await state.FindPendingAsync(messageId, cancellationToken) is not { } pending)
        {
            return null;
        }
        switch (pending.State)
        {
            case As2MdnState.Acknowledged:
                return SendResult.Delivered($"AS2 {messageId}: {pending.Detail}");
            case As2MdnState.Failed when pending.Detail?.StartsWith("partner answered with a negative MDN", StringComparison.Ordinal) == true:
                return SendResult.Rejected($"AS2 {messageId}: {pending.Detail}");
            case As2MdnState.Waiting when pending.Posted && time.GetUtcNow() - pending.SentAt < mdnTimeout:
                return SendResult.RetryLater($"AS2 {messageId} sent at {pending.SentAt:u}; waiting for the asynchronous MDN (timeout {mdnTimeout})");
        }
        var reason = pending.State != As2MdnState.Waiting ? pending.Detail
            : pending.Posted ? $"no asynchronous MDN within {mdnTimeout}"
            : "the previous POST did not succeed";
        logger.LogWarning("AS2 {MessageId} to {Partner}: {Reason}; sending again with the same Message-ID", messageId, partner, reason);
        await state.SaveVerdictAsync(messageId, null, cancellationToken);
        return null;
    }

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
            await (record?.Invoke(pending.DocumentId, verdict.Delivered ? "as2-mdn-acknowledged" : "as2-mdn-failed", $"asynchronous MDN from {partner.Partner} for {original}: {verdict.Detail}", cancellationToken) ?? Task.CompletedTask);
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
