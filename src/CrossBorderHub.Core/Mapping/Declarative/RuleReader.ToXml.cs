using System.Text.Json;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>EDIFACT -> XML rules: "output" is the XML tree, each node an element or attribute with its EDIFACT source.</summary>
internal sealed partial class RuleReader
{
    private static readonly string[] XmlRuleKeys =
        ["element", "attribute", "value", "const", "default", "table", "convert", "unit", "required", "when", "foreach", "children", "comment"];

    /// <summary>Reads "output" (and the optional "batch" wrapper element for interchanges of many messages).</summary>
    public (XmlRule? Root, XmlRule? Batch) ReadXmlOutput(MessageSpec message)
    {
        ReadTables(edifactKeys: true);
        var output = Root["output"];
        if (output?.Kind != JsonValueKind.Object)
        {
            Error(Root, "an EDIFACT -> XML mapping has no \"output\" object.", "add \"output\": {\"element\": \"p:Root\", \"children\": [...]}.");
            return (null, null);
        }
        var root = ReadXmlRule(output, message.Root);
        XmlRule? batch = null;
        if (Root["batch"] is { } batchNode)
        {
            batch = Name(batchNode, batchNode.Text ?? "", attribute: false) is { } n
                ? new XmlRule { Name = n.Name, LocalName = n.Local, Namespace = n.Namespace, Prefix = n.Prefix, Line = batchNode.Line, Column = batchNode.Column } : null;
        }
        if (root is { IsAttribute: true })
        {
            Error(output, "\"output\" is an attribute.", "make the output's root an \"element\".");
        }
        return (root, batch);
    }

    private XmlRule? ReadXmlRule(JsonTree rule, StructureNode context)
    {
        if (rule.Kind != JsonValueKind.Object)
        {
            Error(rule, "an output rule is not an object.", "write {\"element\": \"p:Name\", ...}.");
            return null;
        }
        CheckKeys(rule, XmlRuleKeys);
        var element = rule.String("element");
        var attribute = rule.String("attribute");
        if ((element is null) == (attribute is null))
        {
            Error(rule, "an output rule needs exactly one of \"element\" or \"attribute\".", "add \"element\": \"p:Name\" (or \"attribute\": \"name\").");
            return null;
        }
        var nameNode = rule[element is null ? "attribute" : "element"]!;
        var name = Name(nameNode, element ?? attribute!, attribute is not null);
        EdifactPath? each = null;
        if (rule["foreach"] is { } foreachNode)
        {
            each = CompileEdifact(foreachNode, foreachNode.Text ?? "", context, needsValue: false);
        }
        // Inside a loop the paths start from the repeated group.
        var inner = each?.End ?? context;
        var xml = new XmlRule
        {
            Name = name?.Name ?? "",
            LocalName = name?.Local ?? "",
            Namespace = name?.Namespace ?? "",
            Prefix = name?.Prefix ?? "",
            IsAttribute = attribute is not null,
            Line = nameNode.Line,
            Column = nameNode.Column,
            Foreach = each,
            Required = rule["required"]?.Bool == true,
            When = rule["when"] is { } when ? ReadEdifactCondition(when, inner) : null,
            Value = ReadValue(rule, (at, text) => CompileEdifact(at, text, inner, needsValue: true)),
        };
        if (xml.Value is { Convert: "unit:KGM", UnitEdifact: null })
        {
            Error(rule, "\"convert\": \"unit:KGM\" needs \"unit\": the path of the unit code beside the value.", "add e.g. \"unit\": \"MEA/C174/6411\".");
        }
        foreach (var child in Expand(rule["children"]))
        {
            if (ReadXmlRule(child, inner) is { } c)
            {
                xml.Children.Add(c);
            }
        }
        return name is null ? null : xml;
    }

    private Condition? ReadEdifactCondition(JsonTree at, StructureNode context)
    {
        var text = at.Text ?? "";
        var negate = text.Contains("!=", StringComparison.Ordinal);
        // "NAD[3035=DT]/3039" holds '=' inside the qualifier: split only on an '=' outside brackets.
        var bracket = text.LastIndexOf(']');
        var eq = text.IndexOf(negate ? "!=" : "=", bracket + 1, StringComparison.Ordinal);
        string[] parts = eq < 0 ? [text] : [text[..eq], text[(eq + (negate ? 2 : 1))..]];
        var path = CompileEdifact(at, parts[0], context, needsValue: true);
        return path is null ? null : new Condition { Text = text, Edifact = path, EqualsAny = parts.Length == 2 ? parts[1].Split('|') : null, Negate = negate };
    }

    private (string Name, string Prefix, string Local, string Namespace)? Name(JsonTree at, string text, bool attribute)
    {
        var colon = text.IndexOf(':');
        var prefix = colon > 0 ? text[..colon] : "";
        var local = text[(colon + 1)..];
        try
        {
            System.Xml.XmlConvert.VerifyNCName(local);
        }
        catch (System.Xml.XmlException)
        {
            Error(at, $"'{text}' is not an XML name.", "write prefix:LocalName with a prefix declared under \"namespaces\".");
            return null;
        }
        var uri = prefix.Length == 0 ? "" : Namespaces.LookupNamespace(prefix);
        if (uri is null)
        {
            Error(at, $"prefix '{prefix}' of '{text}' is not declared.", $"declare it under \"namespaces\" (declared: {EdifactPath.Join(Namespaces.Cast<string>().Where(p => p is not ("" or "xml" or "xmlns")))}).");
            return null;
        }
        return (text, attribute && prefix.Length == 0 ? "" : prefix, local, uri);
    }
}
