using System.Xml;
using System.Xml.Linq;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact.Xml;

/// <summary>
/// A lossless XML form of an interchange for mapping configurations, in the spirit of ISO 20625: one element per
/// segment (<c>S tag="BGM"</c>), data element (<c>E n="2"</c>, <c>r</c> for a syntax 4 repetition) and component
/// (<c>C n="1"</c>), positions kept, values unescaped and decoded. What the values cannot say (layout between
/// segments, a BOM, an unusual escaping, bytes outside the repertoire) is kept in attributes, so
/// <see cref="ToEdifact"/> gives back the original bytes exactly.
/// </summary>
public static class EdifactXml
{
    public static readonly XNamespace Ns = "urn:crossborderhub:edifact:xml:1";

    public static XDocument ToXml(ReadOnlySpan<byte> edifact) => ToXml(EdifactParser.Parse(edifact));

    public static XDocument ToXml(Interchange interchange)
    {
        var root = new XElement(Ns + "Interchange",
            new XAttribute("delimiters", Convert.ToHexString(interchange.Delimiters.ToUna())),
            new XAttribute("charset", interchange.Charset.Id));
        if (interchange.Trailing.Length > 0)
        {
            root.Add(new XAttribute("trailing", Convert.ToHexString(interchange.Trailing)));
        }
        foreach (var segment in interchange.Segments)
        {
            root.Add(SegmentToXml(segment, interchange));
        }
        return new XDocument(root);
    }

    private static XElement SegmentToXml(Segment segment, Interchange interchange)
    {
        var x = new XElement(Ns + "S", new XAttribute("tag", XmlSafe(segment.Tag) ? segment.Tag : "???"));
        if (segment.LeadingLayout.Length > 0)
        {
            x.Add(new XAttribute("layout", Convert.ToHexString(segment.LeadingLayout)));
        }
        var representable = XmlSafe(segment.Tag) && segment.Elements.All(e => e.Occurrences.All(o => o.All(XmlSafe)));
        if (representable)
        {
            for (var e = 0; e < segment.Elements.Count; e++)
            {
                var occurrences = segment.Elements[e].Occurrences;
                for (var r = 0; r < occurrences.Count; r++)
                {
                    var element = new XElement(Ns + "E", new XAttribute("n", e + 1));
                    if (r > 0)
                    {
                        element.Add(new XAttribute("r", r + 1));
                    }
                    for (var c = 0; c < occurrences[r].Count; c++)
                    {
                        element.Add(new XElement(Ns + "C", new XAttribute("n", c + 1), occurrences[r][c]));
                    }
                    x.Add(element);
                }
            }
        }
        if (segment.Raw is not null && (!representable || !Reserializes(segment, interchange)))
        {
            // The values alone would not give these bytes back (trailing separators, needless release characters...).
            x.Add(new XAttribute("raw", Convert.ToBase64String(segment.Raw)));
        }
        return x;
    }

    private static bool Reserializes(Segment segment, Interchange interchange)
    {
        if (segment.Tag == "UNA")
        {
            return false;
        }
        var copy = FromValues(segment.Tag, segment.Elements);
        using var ms = new MemoryStream();
        try
        {
            new EdifactWriter(ms, interchange.Delimiters, interchange.Charset).WriteSegment(copy);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Text.EncoderFallbackException)
        {
            return false;
        }
        return ms.ToArray().AsSpan().SequenceEqual(segment.Raw);
    }

    private static Segment FromValues(string tag, List<Element> elements)
    {
        var copy = new Segment(tag);
        foreach (var e in elements)
        {
            copy.Elements.Add(new Element(e.Occurrences.Select(o => o.ToList()).ToList()));
        }
        return copy;
    }

    private static bool XmlSafe(string value)
    {
        foreach (var c in value)
        {
            if (!XmlConvert.IsXmlChar(c) || c == '\r')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads the XML form back into an interchange (raw bytes where the XML kept them).</summary>
    public static Interchange FromXml(XDocument document)
    {
        var root = document.Root ?? throw new FormatException("empty XML document");
        if (root.Name != Ns + "Interchange")
        {
            throw new FormatException($"root element must be {{{Ns}}}Interchange, found {root.Name}");
        }
        var delimiters = Delimiters.FromUna(Convert.FromHexString((string?)root.Attribute("delimiters") ?? throw new FormatException("Interchange@delimiters is missing")));
        var charset = EdifactCharset.Find((string?)root.Attribute("charset")) ?? EdifactCharset.Default;
        var interchange = new Interchange { Delimiters = delimiters, Charset = charset };
        if ((string?)root.Attribute("trailing") is { } trailing)
        {
            interchange.Trailing = Convert.FromHexString(trailing);
        }
        foreach (var s in root.Elements(Ns + "S"))
        {
            var tag = (string?)s.Attribute("tag") ?? throw new FormatException("S@tag is missing");
            var segment = new Segment(tag);
            if ((string?)s.Attribute("layout") is { } layout)
            {
                segment.LeadingLayout = Convert.FromHexString(layout);
            }
            foreach (var e in s.Elements(Ns + "E"))
            {
                var n = (int?)e.Attribute("n") ?? throw new FormatException("E@n is missing");
                var r = (int?)e.Attribute("r") ?? 1;
                while (segment.Elements.Count < n)
                {
                    segment.Elements.Add(new Element(new List<List<string>> { new() }));
                }
                var occurrences = segment.Elements[n - 1].Occurrences;
                while (occurrences.Count < r)
                {
                    occurrences.Add([]);
                }
                var components = occurrences[r - 1];
                foreach (var c in e.Elements(Ns + "C"))
                {
                    var cn = (int?)c.Attribute("n") ?? components.Count + 1;
                    while (components.Count < cn - 1)
                    {
                        components.Add("");
                    }
                    components.Add(c.Value);
                }
            }
            if ((string?)s.Attribute("raw") is { } raw)
            {
                segment.Raw = Convert.FromBase64String(raw);
            }
            interchange.Segments.Add(segment);
            switch (tag)
            {
                case "UNA":
                    interchange.Una = segment;
                    break;
                case "UNB":
                    interchange.Header = segment;
                    break;
                case "UNZ":
                    interchange.Trailer = segment;
                    break;
            }
        }
        return interchange;
    }

    public static byte[] ToEdifact(XDocument document) => EdifactWriter.ToBytes(FromXml(document));

    /// <summary>Loads XML safely (no DTD, no resolver) and converts it back to EDIFACT bytes.</summary>
    public static byte[] ToEdifact(Stream xml)
    {
        using var reader = XmlReader.Create(xml, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return ToEdifact(XDocument.Load(reader, LoadOptions.PreserveWhitespace));
    }
}
