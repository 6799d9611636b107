using System.Globalization;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Writes EDIFACT. <see cref="WriteInterchange"/> copies segments read from a file byte for byte (round trip) and
/// serializes the ones built or changed in code, escaping separators with the release character.
/// </summary>
public sealed class EdifactWriter
{
    private readonly Stream _stream;

    public EdifactWriter(Stream stream, Delimiters delimiters, EdifactCharset charset, string segmentSeparator = "")
    {
        _stream = stream;
        Delimiters = delimiters;
        Charset = charset;
        SegmentSeparator = segmentSeparator;
    }

    public Delimiters Delimiters { get; }

    public EdifactCharset Charset { get; }

    /// <summary>Layout written after each serialized segment ("" or "\r\n").</summary>
    public string SegmentSeparator { get; }

    /// <summary>Writes the interchange: original bytes where unchanged, serialized segments otherwise.</summary>
    public static void WriteInterchange(Interchange interchange, Stream stream)
    {
        var writer = new EdifactWriter(stream, interchange.Delimiters, interchange.Charset);
        foreach (var segment in interchange.Segments)
        {
            writer.WriteSegment(segment);
        }
        stream.Write(interchange.Trailing);
    }

    public static byte[] ToBytes(Interchange interchange)
    {
        using var ms = new MemoryStream();
        WriteInterchange(interchange, ms);
        return ms.ToArray();
    }

    /// <summary>Writes one segment: its raw bytes when it has them, else tag and escaped values.</summary>
    public void WriteSegment(Segment segment)
    {
        _stream.Write(segment.LeadingLayout);
        if (segment.Raw is not null)
        {
            _stream.Write(segment.Raw);
            return;
        }
        if (segment.Tag == "UNA")
        {
            _stream.Write("UNA"u8);
            _stream.Write(Delimiters.ToUna());
            WriteLayout();
            return;
        }
        _stream.Write(Charset.Encoding.GetBytes(segment.Tag));
        // Trailing empty elements and components are dropped (ISO 9735: no trailing separators).
        var lastElement = segment.Elements.FindLastIndex(e => e.Occurrences.Any(o => o.Any(v => v.Length > 0)));
        for (var e = 0; e <= lastElement; e++)
        {
            _stream.WriteByte(Delimiters.Element);
            var occurrences = segment.Elements[e].Occurrences;
            var lastOccurrence = occurrences.FindLastIndex(o => o.Any(v => v.Length > 0));
            for (var r = 0; r <= lastOccurrence; r++)
            {
                if (r > 0)
                {
                    _stream.WriteByte(Delimiters.Repetition != 0 ? Delimiters.Repetition
                        : throw new InvalidOperationException($"{segment.Tag} repeats element {e + 1} but the interchange has no repetition separator (syntax 4)"));
                }
                var components = occurrences[r];
                var lastComponent = components.FindLastIndex(v => v.Length > 0);
                for (var c = 0; c <= lastComponent; c++)
                {
                    if (c > 0)
                    {
                        _stream.WriteByte(Delimiters.Component);
                    }
                    _stream.Write(EdifactText.Escape(components[c], Delimiters, Charset));
                }
            }
        }
        _stream.WriteByte(Delimiters.Segment);
        WriteLayout();
    }

    private void WriteLayout()
    {
        if (SegmentSeparator.Length > 0)
        {
            _stream.Write(Charset.Encoding.GetBytes(SegmentSeparator));
        }
    }

    internal static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
