using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Builds the receiving station's answer to a message: the MDN (signed with the hub certificate when asked for),
/// returned synchronously or marked for POSTing to the partner's URL, or a plain HTTP answer when no MDN was asked for.
/// A resend gets the answer of the first receipt again (<see cref="Replay"/>).
/// </summary>
internal sealed class As2MdnAnswer(X509Certificate2 hubCertificate, TimeProvider time)
{
    private const string AsyncText = "MDN will be sent asynchronously";

    /// <param name="hubId">The AS2-To the partner used: the MDN comes from that identifier.</param>
    /// <param name="mic">Received-Content-MIC; null for a message that was not processed.</param>
    /// <param name="modifier">The failure modifier (RFC 4130 7.5.3), null when the message was processed.</param>
    public As2Response Answer(string hubId, As2PartnerProfile partner, string messageId, As2MdnRequest mdnRequest, string? mic, string? modifier, string explanation)
    {
        if (!mdnRequest.Wanted)
        {
            return modifier is null
                ? As2Response.Text(200, "received")
                : As2Response.Text(400, explanation);
        }
        var mdn = As2Mdn.Build(hubId, messageId, mic, modifier, explanation,
            mdnRequest.Signed ? hubCertificate : null, mdnRequest.MicAlgorithm ?? HashAlgorithmName.SHA256, time.GetUtcNow());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["AS2-Version"] = "1.2",
            ["AS2-From"] = Quote(hubId),
            ["AS2-To"] = Quote(partner.As2Id),
            ["Message-ID"] = $"<{Guid.NewGuid():N}@{SafeHost(hubId)}>",
            ["MIME-Version"] = "1.0",
            ["Content-Type"] = mdn.ContentType,
            ["Date"] = time.GetUtcNow().ToString("r"),
            ["Subject"] = "Message Disposition Notification",
        };
        return mdnRequest.AsyncUrl is null
            ? new As2Response(200, headers, mdn.Body)
            : Asynchronous(mdnRequest.AsyncUrl, headers, mdn.Body);
    }

    /// <summary>The answer remembered for a message stored earlier, for its resend.</summary>
    public static As2Response Replay(As2SeenMessage seen)
    {
        var body = Convert.FromBase64String(seen.BodyBase64);
        return seen.AsyncUrl is null
            ? new As2Response(seen.Status, seen.Headers, body)
            : Asynchronous(new Uri(seen.AsyncUrl), seen.Headers, body);
    }

    private static As2Response Asynchronous(Uri url, IReadOnlyDictionary<string, string> headers, byte[] mdn) =>
        new(200, As2Response.Text(200, AsyncText).Headers, "MDN will be sent asynchronously\n"u8.ToArray(), new As2AsyncMdn(url, headers, mdn));

    private static string Quote(string value) => value.Any(c => c is ' ' or '"' or '\\') ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;

    private static string SafeHost(string id) => new(id.Where(char.IsLetterOrDigit).DefaultIfEmpty('x').ToArray());
}
