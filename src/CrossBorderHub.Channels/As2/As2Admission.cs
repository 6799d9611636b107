using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>A request whose AS2 headers name this hub and a configured partner.</summary>
internal sealed record As2Admitted(string From, string To, string? MessageId, string ContentType, As2PartnerProfile Partner);

/// <summary>
/// The first look at a request, before its body is read: the AS2 headers are present, AS2-To is this hub, AS2-From is
/// a configured partner and the declared length is within the limit. Each refusal is one log line and an HTTP answer
/// naming the problem.
/// </summary>
internal sealed class As2Admission(As2ReceiverOptions options, ILogger logger)
{
    /// <summary>The admitted request, or null with <paramref name="refusal"/> set.</summary>
    public As2Admitted? Admit(As2Request request, out As2Response? refusal)
    {
        var from = Unquote(request.Header("AS2-From"));
        var to = Unquote(request.Header("AS2-To"));
        var messageId = request.Header("Message-ID")?.Trim();
        var contentType = request.Header("Content-Type");
        refusal = null;
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to) || string.IsNullOrEmpty(contentType))
        {
            logger.LogWarning("AS2 request refused: AS2-From, AS2-To or Content-Type missing");
            refusal = As2Response.Text(400, "AS2-From, AS2-To and Content-Type headers are required (RFC 4130 section 6)");
            return null;
        }
        if (!options.HubIds.Contains(to, StringComparer.Ordinal))
        {
            logger.LogWarning("AS2 message {MessageId} from {From} refused: AS2-To {To} is not this hub ({HubIds})", PartnerText.Escape(messageId), PartnerText.Escape(from), PartnerText.Escape(to), string.Join(", ", options.HubIds));
            refusal = As2Response.Text(403, $"AS2-To '{to}' is not an identifier of this station");
            return null;
        }
        var partner = options.Partners.FirstOrDefault(p => string.Equals(p.As2Id, from, StringComparison.Ordinal));
        if (partner is null)
        {
            logger.LogWarning("AS2 message {MessageId} refused: AS2-From {From} is no configured partner", PartnerText.Escape(messageId), PartnerText.Escape(from));
            refusal = As2Response.Text(403, $"AS2-From '{from}' is not a configured trading partner of this station");
            return null;
        }
        if (request.ContentLength > options.MaxBodyBytes)
        {
            logger.LogWarning("AS2 message {MessageId} from {Partner} refused: {Length} bytes exceed the limit of {Limit}", PartnerText.Escape(messageId), partner.Partner, request.ContentLength, options.MaxBodyBytes);
            refusal = As2Response.Text(413, $"body of {request.ContentLength} bytes exceeds the limit of {options.MaxBodyBytes} bytes");
            return null;
        }
        return new As2Admitted(from, to, messageId, contentType, partner);
    }

    internal static string? Unquote(string? value) => value?.Trim().Trim('"');
}
