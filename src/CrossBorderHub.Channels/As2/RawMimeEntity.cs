using System.Text;
using MimeKit;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// One MIME entity kept as the exact bytes it arrived in. AS2 signatures and MICs are computed over those bytes, so
/// the entity is never re-serialised: MimeKit parses header values (Content-Type parameters), the byte ranges are ours.
/// </summary>
internal sealed class RawMimeEntity
{
    private RawMimeEntity(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> raw, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Raw = raw;
        Body = body;
        var contentType = Header("Content-Type");
        ContentType = contentType is not null && MimeKit.ContentType.TryParse(contentType, out var parsed)
            ? parsed
            : new ContentType("text", "plain");
    }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Headers, blank line and body, as received.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public ContentType ContentType { get; }

    public string MediaType => $"{ContentType.MediaType}/{ContentType.MediaSubtype}".ToLowerInvariant();

    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    /// <summary>An entity whose headers came from elsewhere (the HTTP request) and whose body is <paramref name="body"/>.</summary>
    public static RawMimeEntity FromHeadersAndBody(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body) =>
        new([.. headers], ReadOnlyMemory<byte>.Empty, body);

    /// <summary>Parses header lines up to the first empty line (CRLF or bare LF); the rest is the body.</summary>
    public static RawMimeEntity Parse(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        var headers = new List<KeyValuePair<string, string>>();
        var position = 0;
        string? currentName = null;
        var currentValue = new StringBuilder();
        while (true)
        {
            if (position >= span.Length)
            {
                throw new FormatException("MIME entity ends inside its headers: no empty line separates headers from body");
            }
            var lineEnd = span[position..].IndexOf((byte)'\n');
            var next = lineEnd < 0 ? span.Length : position + lineEnd + 1;
            var line = span[position..(lineEnd < 0 ? span.Length : position + lineEnd)];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.IsEmpty)
            {
                Flush();
                position = next;
                break;
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (currentName is null)
                {
                    throw new FormatException($"MIME header continuation line without a header at byte {position}");
                }
                currentValue.Append(' ').Append(Encoding.Latin1.GetString(line).Trim());
            }
            else
            {
                Flush();
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    throw new FormatException($"MIME header line without a colon at byte {position}");
                }
                currentName = Encoding.ASCII.GetString(line[..colon]).Trim();
                currentValue.Append(Encoding.Latin1.GetString(line[(colon + 1)..]).Trim());
            }
            if (lineEnd < 0)
            {
                throw new FormatException("MIME entity ends inside its headers: no empty line separates headers from body");
            }
            position = next;
        }
        return new RawMimeEntity(headers, raw, raw[position..]);

        void Flush()
        {
            if (currentName is not null)
            {
                headers.Add(new(currentName, currentValue.ToString()));
            }
            currentName = null;
            currentValue.Clear();
        }
    }

    /// <summary>
    /// The parts of a multipart body, each the exact bytes between its delimiter line and the line break that
    /// precedes the next delimiter (RFC 2046: that line break belongs to the delimiter, not to the part).
    /// </summary>
    public IReadOnlyList<RawMimeEntity> Parts()
    {
        var boundary = ContentType.Boundary;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new FormatException($"{MediaType} without a boundary parameter");
        }
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var body = Body;
        var span = body.Span;
        var parts = new List<RawMimeEntity>();
        var start = -1;
        var position = 0;
        var crlf = true;
        while (position <= span.Length)
        {
            var found = IndexOfDelimiter(span, delimiter, position);
            if (found < 0)
            {
                throw new FormatException($"{MediaType} is truncated: the closing boundary --{boundary}-- is missing");
            }
            var afterDelimiter = found + delimiter.Length;
            var isClose = afterDelimiter + 1 < span.Length && span[afterDelimiter] == (byte)'-' && span[afterDelimiter + 1] == (byte)'-';
            if (start >= 0)
            {
                var end = found;
                // Drop the line break before the delimiter: CRLF, or a bare LF from a peer whose delimiter lines
                // end in bare LF (then a CR before it is the part's own).
                if (end > start && span[end - 1] == (byte)'\n')
                {
                    end--;
                    if (crlf && end > start && span[end - 1] == (byte)'\r')
                    {
                        end--;
                    }
                }
                parts.Add(Parse(body[start..end]));
            }
            if (isClose)
            {
                return parts;
            }
            var lineEnd = span[afterDelimiter..].IndexOf((byte)'\n');
            if (lineEnd < 0)
            {
                throw new FormatException($"{MediaType} is truncated after a boundary line");
            }
            if (start < 0)
            {
                crlf = lineEnd > 0 && span[afterDelimiter + lineEnd - 1] == (byte)'\r';
            }
            start = afterDelimiter + lineEnd + 1;
            position = start;
        }
        throw new FormatException($"{MediaType} is truncated: the closing boundary --{boundary}-- is missing");
    }

    private static int IndexOfDelimiter(ReadOnlySpan<byte> span, ReadOnlySpan<byte> delimiter, int from)
    {
        var position = from;
        while (position < span.Length)
        {
            var index = span[position..].IndexOf(delimiter);
            if (index < 0)
            {
                return -1;
            }
            var found = position + index;
            if (found == 0 || span[found - 1] == (byte)'\n')
            {
                return found;
            }
            position = found + 1;
        }
        return -1;
    }

    /// <summary>The body with its Content-Transfer-Encoding undone.</summary>
    public byte[] DecodedBody()
    {
        var encoding = Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant();
        switch (encoding)
        {
            case "base64":
                {
                    var text = Encoding.ASCII.GetString(Body.Span);
                    return Convert.FromBase64String(text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim());
                }
            case "quoted-printable":
                {
                    var decoder = new MimeKit.Encodings.QuotedPrintableDecoder();
                    var input = Body.ToArray();
                    var output = new byte[decoder.EstimateOutputLength(input.Length)];
                    var length = decoder.Decode(input, 0, input.Length, output);
                    return output[..length];
                }
            default:
                return Body.ToArray();
        }
    }
}
