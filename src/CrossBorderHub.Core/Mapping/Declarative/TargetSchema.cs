using System.Xml;
using System.Xml.Schema;
using CrossBorderHub.Xml.Schemas;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// The compiled XSDs of the schema pack on a mapping's XML side (schemas/xsd/&lt;pack&gt;), asked what a rule may
/// name: the document elements, the child elements and attributes an element's type allows (extensions included,
/// through sequences, choices and groups), and every element or attribute name the pack declares anywhere.
/// A wildcard (xs:any, xs:anyAttribute) allows anything: null is returned and nothing is checked there.
/// </summary>
internal sealed class TargetSchema
{
    private readonly IReadOnlyList<XmlSchemaSet> _sets;
    private HashSet<XmlQualifiedName>? _names;

    private TargetSchema(string pack, IReadOnlyList<XmlSchemaSet> sets) => (Pack, _sets) = (pack, sets);

    public string Pack { get; }

    /// <summary>The pack's schemas; null when no pack of that name is under <paramref name="xsdRoot"/> or it does not compile
    /// (the schema pack check and the output validator report those).</summary>
    public static TargetSchema? For(string xsdRoot, string? pack)
    {
        if (pack is null || !Directory.Exists(xsdRoot))
        {
            return null;
        }
        try
        {
            var sets = SchemaCatalog.For(xsdRoot).Documents
                .Where(d => string.Equals(Path.GetFileName(d.Folder), pack, StringComparison.Ordinal))
                .Select(d => d.Schemas).Distinct().ToList();
            return sets.Count == 0 ? null : new TargetSchema(pack, sets);
        }
        catch (XmlSchemaException)
        {
            return null;
        }
    }

    public XmlSchemaElement? Global(XmlQualifiedName name) =>
        _sets.Select(s => s.GlobalElements[name] as XmlSchemaElement).FirstOrDefault(e => e is not null);

    public IEnumerable<XmlQualifiedName> GlobalNames => _sets.SelectMany(s => s.GlobalElements.Names.Cast<XmlQualifiedName>()).Distinct();

    /// <summary>The elements allowed directly inside <paramref name="element"/>; null when a wildcard allows any.</summary>
    public static IReadOnlyList<XmlSchemaElement>? Children(XmlSchemaElement element)
    {
        if (element.ElementSchemaType is not XmlSchemaComplexType type)
        {
            return [];
        }
        var found = new List<XmlSchemaElement>();
        return Collect(type.ContentTypeParticle, found) ? found : null;
    }

    /// <summary>The attributes <paramref name="element"/> may carry; null when a wildcard allows any.</summary>
    public static IReadOnlyCollection<XmlQualifiedName>? Attributes(XmlSchemaElement element)
    {
        if (element.ElementSchemaType is not XmlSchemaComplexType type)
        {
            return [];
        }
        return type.AttributeWildcard is not null ? null : type.AttributeUses.Names.Cast<XmlQualifiedName>().ToList();
    }

    /// <summary>Every element and attribute name declared in the pack (for XPaths, which may skip levels).</summary>
    public bool Declares(XmlQualifiedName name)
    {
        if (_names is null)
        {
            var names = new HashSet<XmlQualifiedName>();
            var seen = new HashSet<XmlSchemaType>();
            foreach (var set in _sets)
            {
                foreach (XmlSchemaElement global in set.GlobalElements.Values)
                {
                    Walk(global, names, seen);
                }
                names.UnionWith(set.GlobalAttributes.Names.Cast<XmlQualifiedName>());
            }
            _names = names;
        }
        return _names.Contains(name);
    }

    private static void Walk(XmlSchemaElement element, HashSet<XmlQualifiedName> names, HashSet<XmlSchemaType> seen)
    {
        names.Add(element.QualifiedName);
        if (element.ElementSchemaType is not XmlSchemaComplexType type || !seen.Add(type))
        {
            return;
        }
        names.UnionWith(type.AttributeUses.Names.Cast<XmlQualifiedName>());
        foreach (var child in Children(element) ?? [])
        {
            Walk(child, names, seen);
        }
    }

    /// <summary>Adds the particle's elements; false when it holds a wildcard.</summary>
    private static bool Collect(XmlSchemaParticle? particle, List<XmlSchemaElement> into)
    {
        switch (particle)
        {
            case XmlSchemaElement element:
                into.Add(element);
                return true;
            case XmlSchemaAny:
                return false;
            case XmlSchemaGroupBase group:
                var closed = true;
                foreach (XmlSchemaParticle item in group.Items)
                {
                    closed &= Collect(item, into);
                }
                return closed;
            default:
                return true;
        }
    }
}
