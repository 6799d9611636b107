namespace CrossBorderHub.Channels.As2;

/// <summary>One HTTP POST to the AS2 endpoint, free of ASP.NET: headers (case-insensitive) and the body stream.</summary>
public sealed record As2Request(IReadOnlyDictionary<string, string> Headers, Stream Body, long? ContentLength = null)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Headers in a case-insensitive dictionary, as HTTP names them.</summary>
    public static Dictionary<string, string> NewHeaders() => new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The HTTP answer: status, headers, body; <see cref="AsyncMdn"/> is posted after the answer when set.</summary>
public sealed record As2Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, As2AsyncMdn? AsyncMdn = null)
{
    public static As2Response Text(int status, string text) =>
        new(status, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/plain; charset=utf-8" }, System.Text.Encoding.UTF8.GetBytes(text + "\n"));
}

/// <summary>An MDN to POST to the partner's Receipt-Delivery-Option URL.</summary>
public sealed record As2AsyncMdn(Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>An audit event about a stored message (<see cref="MessageId"/> is the hub's message id).</summary>
public sealed record As2Event(string MessageId, string Kind, string Detail);
