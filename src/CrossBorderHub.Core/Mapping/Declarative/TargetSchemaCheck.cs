using System.Xml;
using System.Xml.Schema;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// Load-time check of an EDIFACT -> XML mapping's output tree against the target pack's XSD: the root is a document
/// element of the pack, every child element is one the parent's type allows, every attribute one it declares. Every
/// wrong name is reported (with the names allowed there and the closest one), not only the first; a wrong element's
/// own children are not checked (they would all be wrong too). Order and cardinality are left to the output
/// validator, which grades every mapped document against the same XSD.
/// </summary>
internal static class TargetSchemaCheck
{
    public static void Check(XmlRule root, XmlRule? batch, TargetSchema schema, Action<int, int, string, string> error)
    {
        var declaration = schema.Global(Qualified(root));
        if (declaration is null)
        {
            // With "batch" the messages sit inside a wrapper element; without, the root must be a document element.
            var documents = schema.GlobalNames.Where(n => schema.Global(n)?.ElementSchemaType is XmlSchemaComplexType).Select(n => Show(n, root)).ToList();
            error(root.Line, root.Column, $"'{root.Name}' ({Uri(root)}) is not an element the {schema.Pack} XSD declares at the top level{(batch is null ? "" : " (inside the batch element)")}.",
                $"use one of: {Suggest(root.LocalName, documents)}.");
            return;
        }
        CheckChildren(root, declaration, schema, error);
    }

    private static void CheckChildren(XmlRule rule, XmlSchemaElement declaration, TargetSchema schema, Action<int, int, string, string> error)
    {
        var children = TargetSchema.Children(declaration);
        var attributes = TargetSchema.Attributes(declaration);
        foreach (var child in rule.Children)
        {
            var name = Qualified(child);
            if (child.IsAttribute)
            {
                if (attributes is not null && !attributes.Contains(name))
                {
                    error(child.Line, child.Column, $"attribute '{child.Name}' is not an attribute of {rule.Name} in the {schema.Pack} XSD.",
                        attributes.Count == 0 ? $"remove it ({rule.Name} has no attributes)." : $"use one of: {Suggest(child.LocalName, attributes.Select(a => Show(a, child)).ToList())}.");
                }
                continue;
            }
            if (children is null)
            {
                continue; // xs:any: anything goes, and what goes in is validated with the output
            }
            var match = children.FirstOrDefault(c => c.QualifiedName == name);
            if (match is null)
            {
                var allowed = children.Select(c => Show(c.QualifiedName, child)).Distinct().ToList();
                error(child.Line, child.Column, $"element '{child.Name}' ({Uri(child)}) is not an element of {rule.Name} in the {schema.Pack} XSD.",
                    allowed.Count == 0 ? $"remove it ({rule.Name} holds text only)." : $"use one of: {Suggest(child.LocalName, allowed)}.");
                continue;
            }
            CheckChildren(child, match, schema, error);
        }
    }

    private static XmlQualifiedName Qualified(XmlRule rule) => new(rule.LocalName, rule.Namespace);

    private static string Uri(XmlRule rule) => rule.Namespace.Length == 0 ? "no namespace" : rule.Namespace;

    /// <summary>A schema name as the rules file would write it: with the rule's prefix when in its namespace.</summary>
    private static string Show(XmlQualifiedName name, XmlRule like) =>
        name.Namespace == like.Namespace && like.Prefix.Length > 0 ? $"{like.Prefix}:{name.Name}"
        : name.Namespace.Length == 0 ? name.Name : $"{{{name.Namespace}}}{name.Name}";

    /// <summary>The closest name first ("did you mean"), then the others, at most 12.</summary>
    private static string Suggest(string wrong, List<string> allowed)
    {
        var closest = allowed.MinBy(a => Distance(wrong, a[(a.LastIndexOfAny([':', '}']) + 1)..]));
        var rest = allowed.Where(a => a != closest).Take(11);
        return closest is null ? "(none)" : $"{closest} (closest){(rest.Any() ? ", " + string.Join(", ", rest) : "")}{(allowed.Count > 12 ? ", ..." : "")}";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
