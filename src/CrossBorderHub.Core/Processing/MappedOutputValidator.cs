using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Schemas;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Checks what a mapping produced against its target before anything is signed or delivered: XML is graded against
/// the target schema pack as the XML inspector grades received documents (SEVERE = error) and must be a document of
/// that pack; XML with no target pack must be well-formed; EDIFACT goes through the EDIFACT inspector at the codes
/// level, in the directory the target names (e.g. <c>D96B/CUSDEC</c>).
/// </summary>
public sealed class MappedOutputValidator(HubOptions hub, TimeProvider time, IEnumerable<IDocumentInspector> inspectors)
{
    public async Task<IReadOnlyList<Finding>> ValidateAsync(MappingEnd target, MessageRecord message, Func<Stream> open, CancellationToken cancellationToken)
    {
        if (target.Format == "edifact")
        {
            return await ValidateEdifactAsync(target, message, open, cancellationToken);
        }
        var limits = hub.Processing.Xml ?? XmlLimits.Default;
        if (target.Standard is null)
        {
            return WellFormed(open, limits);
        }
        var catalog = SchemaCatalog.For(Path.Combine(HubPaths.ResolveShipped(hub.Processing.SchemasPath), "xsd"));
        var graded = new List<GradeFinding>();
        var grade = XmlGrader.Grade(open, catalog, time, limits, graded, cancellationToken);
        var findings = graded.Select(f => XmlInspector.ToFinding(f)).ToList();
        if (grade.WellFormed && grade.Pack is { } pack && !string.Equals(Path.GetFileName(pack.Folder), target.Standard, StringComparison.Ordinal))
        {
            findings.Add(new Finding(FindingSeverity.Error, "MAP-WRONG-TARGET",
                $"the output is a {pack.Definition.DocumentType} of schema pack '{Path.GetFileName(pack.Folder)}', not a document of the target pack '{target.Standard}': correct the mapping's output root or its \"target\"", "1:1"));
        }
        return findings;
    }

    private async Task<IReadOnlyList<Finding>> ValidateEdifactAsync(MappingEnd target, MessageRecord message, Func<Stream> open, CancellationToken cancellationToken)
    {
        var inspector = inspectors.First(i => i.Format == DocumentFormat.Edifact);
        var head = new byte[512];
        int read;
        await using (var stream = open())
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        if (!inspector.Recognizes(head.AsSpan(0, read)))
        {
            return [new Finding(FindingSeverity.Error, "MAP-NOT-EDIFACT", "the output does not start with UNA or UNB: the mapping must write a whole interchange", "0")];
        }
        var directory = target.Standard?.Split('/')[0] is { Length: > 0 } d ? d : null;
        var inspection = await inspector.InspectAsync(
            new InspectionRequest(message, open, "", null, hub, new InspectionOverrides(Level: "codes", Directory: directory)), cancellationToken);
        return inspection.Findings;
    }

    private static IReadOnlyList<Finding> WellFormed(Func<Stream> open, XmlLimits limits)
    {
        using var stream = open();
        System.Xml.XmlReader? reader = null;
        try
        {
            reader = SafeXml.CreateReader(stream, limits);
            while (reader.Read())
            {
            }
            return [];
        }
        catch (UnsafeXmlException ex)
        {
            return [new Finding(FindingSeverity.Error, ex.Code, ex.Message, ex.Location)];
        }
        catch (System.Xml.XmlException ex)
        {
            var safe = SafeXml.Translate(ex, reader, limits);
            return [new Finding(FindingSeverity.Error, safe.Code, safe.Message, safe.Location)];
        }
        finally
        {
            reader?.Dispose();
        }
    }
}
