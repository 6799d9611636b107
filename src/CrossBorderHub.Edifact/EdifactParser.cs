using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Reads a whole interchange into the <see cref="Interchange"/> model (for interchanges that fit in memory: mapping,
/// splitting, XML). Tolerant: it builds what it can; use <see cref="Validation.EdifactValidator"/> for findings.
/// </summary>
public static class EdifactParser
{
    public static Interchange Parse(ReadOnlySpan<byte> data)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        return Parse(stream);
    }

    public static Interchange Parse(Stream stream)
    {
        var interchange = new Interchange();
        var reader = new EdifactSegmentReader(stream);
        FunctionalGroup? group = null;
        EdifactMessage? message = null;
        RawSegment? raw;
        while ((raw = reader.Read()) is not null)
        {
            var segment = ToSegment(raw, interchange.Charset);
            interchange.Delimiters = raw.Delimiters;
            interchange.Segments.Add(segment);
            switch (segment.Tag)
            {
                case "UNA":
                    interchange.Una = segment;
                    break;
                case "UNB":
                    interchange.Header = segment;
                    interchange.Charset = EdifactCharset.Find(segment.Get(1, 0)) ?? EdifactCharset.Default;
                    break;
                case "UNG":
                    group = new FunctionalGroup(segment);
                    interchange.Groups.Add(group);
                    break;
                case "UNE":
                    if (group is not null)
                    {
                        group.Trailer = segment;
                    }
                    group = null;
                    break;
                case "UNH":
                    message = new EdifactMessage(segment);
                    (group?.Messages ?? interchange.Messages).Add(message);
                    break;
                case "UNT":
                    if (message is not null)
                    {
                        message.Trailer = segment;
                    }
                    message = null;
                    break;
                case "UNZ":
                    interchange.Trailer = segment;
                    break;
                default:
                    message?.Body.Add(segment);
                    break;
            }
        }
        interchange.Trailing = reader.Trailing.ToArray();
        return interchange;
    }

    /// <summary>Copies a raw segment into the model: decoded values plus its bytes for the round trip.</summary>
    public static Segment ToSegment(RawSegment raw, EdifactCharset charset)
    {
        var segment = new Segment(raw.Tag)
        {
            Raw = raw.CopyRaw(),
            LeadingLayout = raw.LeadingLayout.ToArray(),
            SegmentNumber = raw.SegmentNumber,
            Offset = raw.Offset,
        };
        var release = raw.Delimiters.Release;
        if (raw.IsTag("UNA"u8) && raw.SegmentNumber == 1 && raw.ValueCount == 2)
        {
            segment.Elements.Add(new Element(charset.Encoding.GetString(raw.Span(raw.Values[1]))));
            return segment;
        }
        List<List<string>>? occurrences = null;
        var currentElement = 0;
        foreach (ref readonly var value in raw.Values)
        {
            if (value.Element == 0)
            {
                continue;
            }
            if (value.Element != currentElement)
            {
                // Positions skipped entirely cannot happen (every separator yields a value) but stay safe.
                while (segment.Elements.Count < value.Element - 1)
                {
                    segment.Elements.Add(new Element(""));
                }
                occurrences = [[]];
                segment.Elements.Add(new Element(occurrences));
                currentElement = value.Element;
            }
            if (value.Repetition >= occurrences!.Count)
            {
                occurrences.Add([]);
            }
            occurrences[^1].Add(EdifactText.Decode(raw.Span(value), release, charset));
        }
        return segment;
    }
}
