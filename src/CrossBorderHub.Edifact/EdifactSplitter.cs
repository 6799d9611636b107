using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact;

/// <summary>One single-message interchange cut from a larger one.</summary>
public sealed record SplitPart(string MessageReference, string MessageType, byte[] Content);

/// <summary>
/// Splits an interchange into one interchange per message, for partners that want per-message delivery. UNA, UNB
/// (and UNG) are copied byte for byte, the message too; UNE and UNZ are rewritten with a count of 1. With
/// <c>controlReference</c> each part gets an interchange control reference (UNB/UNZ 0020) of its own: a recipient
/// that detects duplicates by sender + reference, as ISO 9735 lets it, would otherwise keep only the first part.
/// </summary>
public static class EdifactSplitter
{
    public static IReadOnlyList<SplitPart> Split(ReadOnlySpan<byte> interchange, Func<int, string>? controlReference = null) =>
        Split(EdifactParser.Parse(interchange), controlReference);

    /// <param name="interchange">The interchange to cut.</param>
    /// <param name="controlReference">Reference (an..14) for part N (0-based); null keeps the original's in every part.</param>
    public static IReadOnlyList<SplitPart> Split(Interchange interchange, Func<int, string>? controlReference = null)
    {
        var parts = new List<SplitPart>();
        var layout = interchange.Trailer?.LeadingLayout ?? [];
        foreach (var message in interchange.Messages)
        {
            parts.Add(Part(interchange, null, message, layout, controlReference?.Invoke(parts.Count)));
        }
        foreach (var group in interchange.Groups)
        {
            foreach (var message in group.Messages)
            {
                parts.Add(Part(interchange, group, message, layout, controlReference?.Invoke(parts.Count)));
            }
        }
        return parts;
    }

    private static SplitPart Part(Interchange source, FunctionalGroup? group, EdifactMessage message, byte[] layout, string? reference)
    {
        using var ms = new MemoryStream();
        var writer = new EdifactWriter(ms, source.Delimiters, source.Charset);
        if (source.Una is not null)
        {
            writer.WriteSegment(source.Una);
        }
        if (source.Header is not null)
        {
            writer.WriteSegment(reference is null ? source.Header : WithReference(source.Header, reference));
        }
        if (group is not null)
        {
            writer.WriteSegment(group.Header);
        }
        foreach (var segment in message.Segments)
        {
            writer.WriteSegment(segment);
        }
        if (group is not null)
        {
            writer.WriteSegment(new Segment("UNE", new Element("1"), new Element(group.Reference)) { LeadingLayout = layout });
        }
        writer.WriteSegment(new Segment("UNZ", new Element("1"), new Element(reference ?? source.ControlReference)) { LeadingLayout = layout });
        ms.Write(source.Trailing);
        return new SplitPart(message.Reference, message.Type, ms.ToArray());
    }

    /// <summary>
    /// The interchange with only the messages <paramref name="keep"/> selects (by index in file order, as validation
    /// numbers them): for partial acceptance, where the valid messages go on and the rejected ones are answered in the
    /// CONTRL. Groups left without a message are dropped; UNE and UNZ counts are rewritten, everything else is copied.
    /// </summary>
    public static byte[] Keep(Interchange source, Func<int, bool> keep)
    {
        using var ms = new MemoryStream();
        var writer = new EdifactWriter(ms, source.Delimiters, source.Charset);
        var layout = source.Trailer?.LeadingLayout ?? [];
        if (source.Una is not null)
        {
            writer.WriteSegment(source.Una);
        }
        if (source.Header is not null)
        {
            writer.WriteSegment(source.Header);
        }
        var index = 0;
        var count = 0;
        if (source.Groups.Count == 0)
        {
            foreach (var message in source.Messages)
            {
                if (keep(index++))
                {
                    WriteMessage(writer, message);
                    count++;
                }
            }
        }
        foreach (var group in source.Groups)
        {
            var kept = group.Messages.Where(_ => keep(index++)).ToList();
            if (kept.Count == 0)
            {
                continue;
            }
            writer.WriteSegment(group.Header);
            kept.ForEach(m => WriteMessage(writer, m));
            writer.WriteSegment(new Segment("UNE", new Element(EdifactWriter.Number(kept.Count)), new Element(group.Reference)) { LeadingLayout = layout });
            count++;
        }
        writer.WriteSegment(new Segment("UNZ", new Element(EdifactWriter.Number(count)), new Element(source.ControlReference)) { LeadingLayout = layout });
        ms.Write(source.Trailing);
        return ms.ToArray();
    }

    private static void WriteMessage(EdifactWriter writer, EdifactMessage message)
    {
        foreach (var segment in message.Segments)
        {
            writer.WriteSegment(segment);
        }
    }

    /// <summary>A copy of UNB with element 0020 (the fifth) replaced; everything else, layout included, as it was.</summary>
    private static Segment WithReference(Segment header, string reference)
    {
        var copy = new Segment(header.Tag, [.. header.Elements]) { LeadingLayout = header.LeadingLayout };
        while (copy.Elements.Count < 5)
        {
            copy.Elements.Add(new Element(""));
        }
        copy.Elements[4] = new Element(reference);
        return copy;
    }
}
