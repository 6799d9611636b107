using System.Xml;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Xml.Schemas;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Part of the mapping start-up check: a route that maps into a schema pack and signs with "document" would put an
/// enveloped ds:Signature inside the mapped document. Customs and SPS schemas (wco-dec, ephyto-sps) have no place
/// for one, so every receiver that validates what it gets (xmllint --schema, the single window's own validator)
/// would refuse the hub's output. A real hub signs such documents in the envelope the exchange uses instead: here the
/// UN/CEFACT SBDH ("Sign": "envelope"), which carries the mapped document unchanged and the signature beside it. The
/// hub does not switch silently: the route is refused with that fix, so the admin chooses knowingly (per route, and
/// so per partner: one route per partner when partners differ).
/// </summary>
public static class MappedSigningCheck
{
    private const string DsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    public static string? Problem(HubOptions options, RouteOptions route, MappingDescriptor? mapping, string path)
    {
        if (mapping is not { Target: { Format: "xml", Standard: { } pack } } || !string.Equals(route.Sign, "document", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var catalog = SchemaCatalog.For(Path.Combine(HubPaths.ResolveShipped(options.Processing.SchemasPath), "xsd"));
        var documents = catalog.Documents.Where(d => string.Equals(Path.GetFileName(d.Folder), pack, StringComparison.Ordinal)).ToList();
        if (documents.Count == 0 || documents.Any(AllowsSignature))
        {
            return null; // an unknown pack is the output validator's finding; a pack that declares ds:Signature can hold one
        }
        return $"{path}:Sign 'document' would put a ds:Signature inside the mapped {pack} document ({mapping.Name}), and the {pack} XSD has no place for one (receivers validating it would refuse it): " +
            "use \"Sign\": \"envelope\" (the mapped document unchanged inside a signed SBDH envelope; see docs/mapping.md, Signing mapped XML).";
    }

    private static bool AllowsSignature(CompiledDocument document)
    {
        try
        {
            return document.Schemas.GlobalElements.Contains(new XmlQualifiedName("Signature", DsigNamespace));
        }
        catch (System.Xml.Schema.XmlSchemaException)
        {
            return true; // a broken pack is the schema pack check's error, not this one's
        }
    }
}
