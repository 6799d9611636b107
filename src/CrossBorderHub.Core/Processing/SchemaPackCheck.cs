using System.Xml.Schema;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Xml.Schemas;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Start-up check: every schema pack manifest under Hub:Processing:SchemasPath/xsd parses, names existing files
/// and valid XPaths, and its schemas compile. Compiling here also warms the shared cache for the pipeline.
/// </summary>
public sealed class SchemaPackCheck : IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        var root = Path.Combine(HubPaths.ResolveShipped(options.Processing.SchemasPath), "xsd");
        if (!Directory.Exists(root))
        {
            // No XML packs configured: XML documents will be rejected as unknown, which is a choice, not an error.
            return;
        }
        var catalog = SchemaCatalog.For(root);
        foreach (var error in catalog.Errors)
        {
            errors.Add($"Hub:Processing:SchemasPath: {error}");
        }
        foreach (var document in catalog.Documents)
        {
            try
            {
                _ = document.Schemas;
            }
            catch (Exception ex) when (ex is XmlSchemaException or System.Xml.XmlException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"Hub:Processing:SchemasPath: schema pack '{document.Manifest.Name}' ({document.Folder}) does not compile: {ex.Message}: fix or remove the pack folder");
            }
        }
    }
}
