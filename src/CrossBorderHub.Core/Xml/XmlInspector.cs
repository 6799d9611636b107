using System.Xml;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Core.Xml;

/// <summary>
/// Foundation version of the XML inspector: a safe, well-formedness-checking read that takes the root element as the
/// document type and a destination country element if present. Schema packs and signatures replace it.
/// </summary>
public sealed class XmlInspector(HubOptions hub) : IDocumentInspector
{
    private static readonly string[] CountryElements = ["ImportingCountry", "DestinationCountry", "ImportCountryID", "ImportCountry"];

    public DocumentFormat Format => DocumentFormat.Xml;

    public HubOptions Hub { get; } = hub;

    public bool Recognizes(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\xEF\xBB\xBF"u8))
        {
            head = head[3..];
        }
        head = head.TrimStart(" \t\r\n"u8);
        return head.Length > 0 && head[0] == (byte)'<';
    }

    public async Task<Inspection> InspectAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Async = true };
        var identity = new DocumentIdentity { Format = DocumentFormat.Xml };
        var findings = new List<Finding>();
        await using var stream = request.OpenContent();
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            while (await reader.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                if (identity.DocumentType.Length == 0)
                {
                    identity = identity with { DocumentType = reader.LocalName };
                }
                else if (identity.DestinationCountry is null && CountryElements.Contains(reader.LocalName))
                {
                    var value = (await reader.ReadElementContentAsStringAsync()).Trim();
                    identity = identity with { DestinationCountry = value.Length == 0 ? null : value };
                }
            }
        }
        catch (XmlException ex)
        {
            findings.Add(new Finding(FindingSeverity.Error, "XML", ex.Message, $"line {ex.LineNumber}:{ex.LinePosition}"));
        }
        return new Inspection(identity, findings);
    }
}
