namespace CrossBorderHub.Edifact.Model;

/// <summary>
/// One data element of a segment: its occurrences (more than one only with the syntax 4 repetition separator),
/// each a list of component values (one for a simple data element). Values are unescaped and decoded.
/// </summary>
public sealed class Element
{
    public Element(params string[] components)
    {
        Occurrences = [[.. components]];
    }

    public Element(List<List<string>> occurrences)
    {
        Occurrences = occurrences;
    }

    public List<List<string>> Occurrences { get; }

    public List<string> Components => Occurrences[0];

    /// <summary>The first component of the first occurrence.</summary>
    public string Value => Components.Count > 0 ? Components[0] : "";

    /// <summary>Component <paramref name="index"/> (0-based) of the first occurrence, "" when absent.</summary>
    public string this[int index] => index < Components.Count ? Components[index] : "";
}

/// <summary>
/// A segment: tag and data elements. <see cref="Raw"/> keeps the bytes as read (tag through terminator) and
/// <see cref="LeadingLayout"/> what preceded them (CR/LF, BOM), so writing an unmodified interchange gives the
/// original bytes back; a segment built or changed in code has <see cref="Raw"/> = null and is serialized.
/// </summary>
public sealed class Segment
{
    public Segment(string tag, params Element[] elements)
    {
        Tag = tag;
        Elements = [.. elements];
    }

    public string Tag { get; }

    public List<Element> Elements { get; }

    public byte[]? Raw { get; set; }

    public byte[] LeadingLayout { get; set; } = [];

    public int SegmentNumber { get; set; }

    public long Offset { get; set; }

    /// <summary>Data element <paramref name="position"/> (1 = first after the tag), or null.</summary>
    public Element? this[int position] => position >= 1 && position <= Elements.Count ? Elements[position - 1] : null;

    /// <summary>Value at element/component (1-based element, 0-based component), "" when absent.</summary>
    public string Get(int position, int component = 0) => this[position]?[component] ?? "";

    /// <summary>Marks the segment as changed so it is serialized instead of copied.</summary>
    public Segment Touch()
    {
        Raw = null;
        return this;
    }

    public override string ToString() => Tag + "+" + string.Join('+', Elements.Select(e => string.Join(':', e.Components)));
}
