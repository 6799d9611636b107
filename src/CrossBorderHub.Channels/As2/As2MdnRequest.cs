using System.Security.Cryptography;

namespace CrossBorderHub.Channels.As2;

/// <summary>What the Disposition-Notification-* headers of a received message ask for.</summary>
internal sealed record As2MdnRequest(bool Wanted, bool Signed, HashAlgorithmName? MicAlgorithm, string? MicToken, Uri? AsyncUrl)
{
    public static As2MdnRequest From(As2Request request)
    {
        var wanted = !string.IsNullOrWhiteSpace(request.Header("Disposition-Notification-To"));
        var options = request.Header("Disposition-Notification-Options") ?? "";
        var signed = false;
        HashAlgorithmName? digest = null;
        string? token = null;
        foreach (var parameter in options.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }
            var name = parameter[..equals].Trim().ToLowerInvariant();
            var values = parameter[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (name == "signed-receipt-protocol")
            {
                signed = values.Skip(1).Any(v => v.Equals("pkcs7-signature", StringComparison.OrdinalIgnoreCase));
            }
            else if (name == "signed-receipt-micalg")
            {
                foreach (var value in values.Skip(1))
                {
                    if (As2Algorithms.Digest(value) is { } supported)
                    {
                        digest = supported;
                        token = value.ToLowerInvariant();
                        break;
                    }
                }
            }
        }
        Uri? asyncUrl = null;
        var delivery = request.Header("Receipt-Delivery-Option");
        if (wanted && !string.IsNullOrWhiteSpace(delivery) && Uri.TryCreate(delivery.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            asyncUrl = url;
        }
        return new As2MdnRequest(wanted, signed, digest, token, asyncUrl);
    }

    /// <summary>The audit wording of the answer: how the MDN goes out and the MIC it carries.</summary>
    public string Describe(string mic)
    {
        if (!Wanted)
        {
            return "no MDN requested";
        }
        var delivery = AsyncUrl is null ? "synchronous" : "asynchronous to " + AsyncUrl;
        var signing = Signed ? "signed" : "unsigned";
        return $"{delivery} {signing} MDN, processed, Received-Content-MIC {mic}";
    }
}
