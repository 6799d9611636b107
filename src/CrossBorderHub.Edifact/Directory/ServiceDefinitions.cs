using System.Reflection;
using System.Xml;
using System.Xml.Linq;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>
/// The ISO 9735 service segments (UNB..UNZ, UCI/UCM/UCS/UCD/UCF...) and the CONTRL structure for syntax 3 and 4,
/// read from the php-edifact service XML (LGPL-3.0, shipped unmodified in schemas/edifact/service-iso9735 and
/// embedded in this assembly so envelope checks never depend on a folder).
/// </summary>
public sealed class ServiceDefinitions
{
    private static readonly Lazy<ServiceDefinitions> V3 = new(() => Load("Service_V3"));
    private static readonly Lazy<ServiceDefinitions> V4 = new(() => Load("Service_V4"));

    private ServiceDefinitions(Dictionary<string, SegmentSpec> segments, MessageSpec contrl)
    {
        Segments = segments;
        Contrl = contrl;
        ByKey = segments.Values.ToDictionary(v => TagKey.Of(v.Tag));
    }

    /// <summary>Segment specifications by <see cref="TagKey"/>.</summary>
    public IReadOnlyDictionary<int, SegmentSpec> ByKey { get; }

    public IReadOnlyDictionary<string, SegmentSpec> Segments { get; }

    public MessageSpec Contrl { get; }

    /// <summary>Syntax 4 definitions for version 4, syntax 3 definitions for versions 1 to 3.</summary>
    public static ServiceDefinitions For(int syntaxVersion) => syntaxVersion >= 4 ? V4.Value : V3.Value;

    private static ServiceDefinitions Load(string version)
    {
        var segments = new Dictionary<string, SegmentSpec>(StringComparer.Ordinal);
        foreach (var segment in Open($"{version}.segments.xml").Root!.Elements("segment"))
        {
            var spec = ReadSegment(segment);
            segments[spec.Tag] = spec;
        }
        var contrl = ReadMessage("CONTRL", Open($"{version}.messages.contrl.xml").Root!);
        return new ServiceDefinitions(segments, contrl);
    }

    private static XDocument Open(string name)
    {
        var assembly = typeof(ServiceDefinitions).Assembly;
        using var stream = assembly.GetManifestResourceStream("ServiceXml." + name)
            ?? throw new InvalidOperationException($"embedded resource ServiceXml.{name} is missing from the build");
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }

    /// <summary>Reads one php-edifact &lt;segment&gt; (composites inlined) into a spec.</summary>
    public static SegmentSpec ReadSegment(XElement segment)
    {
        var elements = new List<ElementSpec>();
        foreach (var e in segment.Elements())
        {
            var id = (string?)e.Attribute("id") ?? "";
            var name = (string?)e.Attribute("name") ?? "";
            var mandatory = (string?)e.Attribute("required") == "true";
            var repeat = int.TryParse((string?)e.Attribute("maxrepeat"), out var r) ? r : 1;
            if (e.Name.LocalName == "composite_data_element")
            {
                elements.Add(new ElementSpec(id, name, mandatory, repeat, null, e.Elements().Select(ReadValue).ToArray()));
            }
            else
            {
                elements.Add(new ElementSpec(id, name, mandatory, repeat, ReadValue(e), null));
            }
        }
        return new SegmentSpec((string)segment.Attribute("id")!, (string?)segment.Attribute("name") ?? "", [.. elements]);
    }

    private static ValueSpec ReadValue(XElement e)
    {
        var type = (string?)e.Attribute("type") ?? "an";
        var kind = type == "n" ? ValueKind.N : type == "a" ? ValueKind.A : ValueKind.An;
        int min = 0, max = 512;
        if (int.TryParse((string?)e.Attribute("length"), out var fixedLength))
        {
            min = max = fixedLength;
        }
        else if (int.TryParse((string?)e.Attribute("maxlength"), out var maxLength))
        {
            max = maxLength;
        }
        return new ValueSpec((string?)e.Attribute("id") ?? "", (string?)e.Attribute("name") ?? "",
            (string?)e.Attribute("required") == "true", kind, min, max);
    }

    /// <summary>Reads a php-edifact &lt;message&gt; structure, dropping UNH/UNT (handled by the envelope).</summary>
    public static MessageSpec ReadMessage(string type, XElement message)
    {
        var root = new StructureNode(type, true, 1, true);
        AddChildren(root, message);
        root.Children.RemoveAll(c => c.Name is "UNH" or "UNT");
        return new MessageSpec(type, root);
    }

    private static void AddChildren(StructureNode parent, XElement element)
    {
        foreach (var child in element.Elements())
        {
            var isGroup = child.Name.LocalName == "group";
            if (!isGroup && child.Name.LocalName != "segment")
            {
                continue;
            }
            var node = new StructureNode((string?)child.Attribute("id") ?? "", (string?)child.Attribute("required") == "true",
                int.TryParse((string?)child.Attribute("maxrepeat"), out var r) ? r : 1, isGroup);
            if (isGroup)
            {
                AddChildren(node, child);
            }
            parent.Children.Add(node);
        }
    }
}
