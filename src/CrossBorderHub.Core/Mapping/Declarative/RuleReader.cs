using System.Text.Json;
using System.Xml;
using System.Xml.XPath;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// Reads a declarative rules file into rules, checking every path against the EDIFACT directory and every XPath by
/// compiling it, and collecting every error with its line and column (never stopping at the first). The parts for
/// each direction are in RuleReader.ToXml.cs and RuleReader.ToEdifact.cs.
/// </summary>
internal sealed partial class RuleReader
{
    private readonly string _file;
    private readonly EdifactDirectory _directory;
    private readonly ICollection<MappingLoadError> _errors;
    private readonly Dictionary<string, CodeTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonTree> _templates = new(StringComparer.Ordinal);
    private readonly Stack<string> _expanding = new();

    public RuleReader(string file, JsonTree root, EdifactDirectory directory, ICollection<MappingLoadError> errors)
    {
        _file = file;
        _directory = directory;
        _errors = errors;
        Root = root;
        Namespaces = new XmlNamespaceManager(new NameTable());
        if (root.Kind != JsonValueKind.Object)
        {
            Error(root, "the rules file is not a JSON object.", "write { \"namespaces\": ..., \"tables\": ..., ... } (see docs/mapping.md).");
            return;
        }
        foreach (var (prefix, line, column, uri) in root["namespaces"]?.Members ?? [])
        {
            if (uri.Kind != JsonValueKind.String || string.IsNullOrEmpty(uri.Text))
            {
                Error(line, column, $"namespace prefix '{prefix}' has no URI.", "write \"prefix\": \"urn:...\".");
                continue;
            }
            Namespaces.AddNamespace(prefix, uri.Text);
            DeclaredNamespaces.Add((prefix, uri.Text));
        }
        foreach (var (name, _, _, template) in root["templates"]?.Members ?? [])
        {
            _templates[name] = template;
        }
    }

    public JsonTree Root { get; }

    public XmlNamespaceManager Namespaces { get; }

    /// <summary>The "namespaces" of the file in order (the output declares them on its document element).</summary>
    public List<(string Prefix, string Uri)> DeclaredNamespaces { get; } = [];

    /// <summary>Reads "tables". <paramref name="edifactKeys"/>: the EDIFACT codes are the keys (EDIFACT -> XML), else the values.</summary>
    public void ReadTables(bool edifactKeys)
    {
        foreach (var (name, line, column, table) in Root["tables"]?.Members ?? [])
        {
            var map = table["map"];
            if (table.Kind != JsonValueKind.Object || map?.Kind != JsonValueKind.Object)
            {
                Error(line, column, $"table '{name}' has no \"map\" object.", "write \"" + name + "\": {\"edifact\": \"1001\", \"map\": {\"FROM\": \"TO\"}}.");
                continue;
            }
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            var element = table.String("edifact");
            var codes = element is null ? null : _directory.Codes.GetValueOrDefault(element);
            if (element is not null && codes is null)
            {
                Error(table["edifact"]!, $"data element {element} has no code list in directory {_directory.Name}.", "name a coded data element (e.g. 1001, 3035, 1225) or leave \"edifact\" out.");
            }
            foreach (var (from, fromLine, fromColumn, to) in map.Members)
            {
                var code = edifactKeys ? from : to.Text ?? "";
                if (codes is { Count: > 0 } && !codes.Contains(code))
                {
                    var (l, c) = edifactKeys ? (fromLine, fromColumn) : (to.Line, to.Column);
                    Error(l, c, $"'{code}' in table '{name}' is not a code of {element} in {_directory.Name}.", $"use a code of UNCL {element}, e.g. {EdifactPath.Join(codes.Order(StringComparer.Ordinal).Take(8))}.");
                }
                entries[from] = to.Text ?? "";
            }
            _tables[name] = new(name, entries, table.String("default"));
        }
    }

    /// <summary>Reads the value part of a rule (value/const/default/table/convert/unit/required).</summary>
    private ValueRule? ReadValue(JsonTree rule, Func<JsonTree, string, object?> compileSource)
    {
        var source = rule["value"];
        var constant = rule.String("const");
        if (source is null && constant is null)
        {
            return rule["default"] is { } d ? new ValueRule { Source = "default", Default = d.Text } : null;
        }
        object? compiled = null;
        if (source is not null)
        {
            if (source.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(source.Text))
            {
                Error(source, "\"value\" is not a path string.", "write the source path as a string.");
                return null;
            }
            compiled = compileSource(source, source.Text);
        }
        CodeTable? table = null;
        if (rule["table"] is { } tableNode && (table = _tables.GetValueOrDefault(tableNode.Text ?? "")) is null)
        {
            Error(tableNode, $"table '{tableNode.Text}' is not defined.", $"define it under \"tables\" or use one of: {EdifactPath.Join(_tables.Keys)}.");
        }
        var convert = rule.String("convert");
        if (convert is not null && !Conversions.Names.Contains(convert))
        {
            Error(rule["convert"]!, $"conversion '{convert}' does not exist.", $"use one of: {string.Join(", ", Conversions.Names)}.");
        }
        var unit = rule["unit"] is { Text: { } unitText } unitNode ? compileSource(unitNode, unitText) : null;
        return new ValueRule
        {
            Source = source?.Text ?? "const",
            Edifact = compiled as EdifactPath,
            XPath = compiled as XPathExpression,
            Const = constant,
            Default = rule.String("default"),
            Table = table,
            Convert = convert,
            UnitEdifact = unit as EdifactPath,
            UnitXPath = unit as XPathExpression,
            Required = rule["required"]?.Bool == true,
        };
    }

    /// <summary>The XSD of the XML side when a schema pack describes it: XPath names are checked against it.</summary>
    public TargetSchema? XmlSchema { get; init; }

    private static readonly System.Text.RegularExpressions.Regex QualifiedNames = new(
        @"(?<![\w.$-])([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)(?![\w.-]*\s*\()", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex Literals = new(
        @"'[^']*'|""[^""]*""", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Each prefixed name in the XPath (string literals aside) must be an element or attribute of the pack.</summary>
    private void CheckXPathNames(JsonTree at, string text)
    {
        if (XmlSchema is null)
        {
            return;
        }
        var code = Literals.Replace(text, m => new string(' ', m.Length));
        foreach (System.Text.RegularExpressions.Match m in QualifiedNames.Matches(code))
        {
            var uri = Namespaces.LookupNamespace(m.Groups[1].Value);
            if (uri is not null && !XmlSchema.Declares(new XmlQualifiedName(m.Groups[2].Value, uri)))
            {
                Error(at, $"XPath '{text}' names {m.Value}, which the {XmlSchema.Pack} XSD does not declare (no element or attribute {m.Groups[2].Value} in {uri}).",
                    $"correct the name (the XSDs are under schemas/xsd/{XmlSchema.Pack}).");
            }
        }
    }

    /// <summary>An XPath compiled against the file's namespaces; a syntax error or unknown prefix is a load error.</summary>
    private XPathExpression? CompileXPath(JsonTree at, string text)
    {
        try
        {
            var expression = XPathExpression.Compile(text);
            expression.SetContext(Namespaces);
            // Unknown prefixes and functions show up only when evaluated: evaluate once on an empty document.
            new XmlDocument().CreateNavigator()!.Evaluate(expression);
            CheckXPathNames(at, text);
            return expression;
        }
        catch (XPathException ex)
        {
            Error(at, $"XPath '{text}' does not parse: {ex.Message}", "correct the XPath (prefixes must be declared under \"namespaces\").");
            return null;
        }
    }

    /// <summary>The items of a rules array with every {"use": "template"} replaced by the template's rules.</summary>
    private IEnumerable<JsonTree> Expand(JsonTree? items)
    {
        foreach (var item in items?.Items ?? [])
        {
            if (item.String("use") is not { } name)
            {
                yield return item;
                continue;
            }
            if (!_templates.TryGetValue(name, out var template))
            {
                Error(item["use"]!, $"template '{name}' is not defined.", $"define it under \"templates\" or use one of: {EdifactPath.Join(_templates.Keys)}.");
                continue;
            }
            if (_expanding.Contains(name))
            {
                Error(item["use"]!, $"template '{name}' uses itself ({string.Join(" -> ", _expanding.Reverse().Append(name))}): a cycle never ends.", "break the cycle: a template must not use itself, directly or through another.");
                continue;
            }
            _expanding.Push(name);
            foreach (var expanded in Expand(template).ToList())
            {
                yield return expanded;
            }
            _expanding.Pop();
        }
    }

    private void CheckKeys(JsonTree rule, params string[] allowed)
    {
        foreach (var (name, line, column, _) in rule.Members)
        {
            if (!allowed.Contains(name))
            {
                Error(line, column, $"\"{name}\" is not a property of this rule.", $"use one of: {string.Join(", ", allowed)}.");
            }
        }
    }

    private EdifactPath? CompileEdifact(JsonTree at, string text, StructureNode context, bool needsValue)
    {
        var path = EdifactPath.Compile(text, context, _directory, needsValue, out var problem, out var fix);
        if (path is null)
        {
            Error(at, $"'{text}': {problem}", fix!);
        }
        return path;
    }

    private void Error(JsonTree at, string problem, string fix) => Error(at.Line, at.Column, problem, fix);

    private void Error(int line, int column, string problem, string fix) => _errors.Add(new(_file, line, column, problem, fix));
}
