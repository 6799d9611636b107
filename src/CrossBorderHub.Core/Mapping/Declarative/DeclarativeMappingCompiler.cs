using System.Text.Json;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// Compiles a declarative mapping (kind <c>declarative</c>): a JSON rules file (schema: mappings/declarative.schema.json)
/// mapping EDIFACT -> XML or XML -> EDIFACT. The EDIFACT side's directory and message come from the manifest's
/// "standard" (<c>D96B/CUSDEC</c>) and are loaded from the hub's schemas/edifact, so every segment, group, element
/// and code a rule names is checked against the UNECE directory itself. Every error is reported, with line:column.
/// </summary>
public sealed class DeclarativeMappingCompiler(string edifactRoot) : IMappingCompiler
{
    private readonly DirectoryRegistry _registry = new(edifactRoot);

    public string Kind => "declarative";

    public IMapping? Compile(MappingManifest manifest, ICollection<MappingLoadError> errors)
    {
        var file = manifest.RulesFile;
        var manifestFile = Path.Combine(manifest.Folder, "mapping.json");
        var toXml = manifest.Source.Format == "edifact" && manifest.Target.Format == "xml";
        if (!toXml && !(manifest.Source.Format == "xml" && manifest.Target.Format == "edifact"))
        {
            errors.Add(new(manifestFile, 0, 0, $"a declarative mapping maps EDIFACT <-> XML, not {manifest.Source.Format} -> {manifest.Target.Format}.", "use kind \"xslt\" for XML -> XML."));
            return null;
        }
        var edifact = toXml ? manifest.Source : manifest.Target;
        var (directory, message) = Resolve(edifact.Standard, manifestFile, errors);
        if (!File.Exists(file))
        {
            errors.Add(new(file, 0, 0, "the rules file named by \"file\" in mapping.json does not exist.", "create it or correct \"file\" in mapping.json."));
            return null;
        }
        JsonTree tree;
        try
        {
            var bytes = File.ReadAllBytes(file);
            tree = JsonTree.Parse(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes);
        }
        catch (JsonException ex)
        {
            errors.Add(new(file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, $"the rules file is not valid JSON: {ex.Message.Split(" LineNumber:")[0]}", "fix the JSON at that position (a missing comma or quote?)."));
            return null;
        }
        if (directory is null || message is null)
        {
            return null;
        }
        directory.AttachCodeLists();
        var before = errors.Count;
        // The XML side's XSD, when a schema pack describes it (schemas/xsd beside schemas/edifact): names checked at load.
        var xmlSide = toXml ? manifest.Target : manifest.Source;
        var schema = TargetSchema.For(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_registry.Root).TrimEnd(Path.DirectorySeparatorChar)) ?? "", "xsd"), xmlSide.Standard);
        var reader = new RuleReader(file, tree, directory, errors) { XmlSchema = toXml ? null : schema };
        var descriptor = new MappingDescriptor(manifest.Name, manifest.Version, MappingHash.Of(manifest), Kind, manifest.Source, manifest.Target);
        if (toXml)
        {
            var (root, batch) = reader.ReadXmlOutput(message);
            if (root is not null && schema is not null)
            {
                TargetSchemaCheck.Check(root, batch, schema, (line, column, problem, fix) => errors.Add(new(file, line, column, problem, fix)));
            }
            return errors.Count == before && root is not null ? new EdifactToXmlMapping(descriptor, message, root, batch, reader.DeclaredNamespaces) : null;
        }
        var (body, envelope) = reader.ReadEdifactOutput(message);
        return errors.Count == before && body is not null && envelope is not null
            ? new XmlToEdifactMapping(descriptor, message, directory.Name, body, envelope) : null;
    }

    private (EdifactDirectory?, MessageSpec?) Resolve(string? standard, string manifestFile, ICollection<MappingLoadError> errors)
    {
        var parts = (standard ?? "").Split('/');
        if (parts.Length != 2)
        {
            errors.Add(new(manifestFile, 0, 0, $"the EDIFACT side's \"standard\" is '{standard}', not DIRECTORY/MESSAGE.", "write e.g. \"standard\": \"D96B/CUSDEC\"."));
            return (null, null);
        }
        var directory = _registry.Find(parts[0]);
        if (directory is null)
        {
            errors.Add(new(manifestFile, 0, 0, $"directory {parts[0]} is not under {_registry.Root}.", $"use one of: {EdifactPath.Join(_registry.Names.Order(StringComparer.Ordinal))} (`hub directories`)."));
            return (null, null);
        }
        var message = directory.GetMessage(parts[1]);
        if (message is null)
        {
            errors.Add(new(manifestFile, 0, 0, $"directory {directory.Name} defines no message {parts[1]}.", "check the message type (e.g. CUSDEC, SANCRT)."));
        }
        return (directory, message);
    }
}
