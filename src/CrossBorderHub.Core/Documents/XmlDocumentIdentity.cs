using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Documents;

/// <summary>
/// An XML document's business identity from what its schema pack's manifest already points at: the pack's
/// controlReference XPath is the document's own number (Form D ReferenceNumber, WCO FunctionalReferenceID, ePhyto
/// ID), origin and destination country its countries. XML message function and issue date are not read yet (always Original).
/// </summary>
public static class XmlDocumentIdentity
{
    /// <summary>One document when a pack identified the XML (a document type), none otherwise.</summary>
    public static IReadOnlyList<BusinessDocument> From(DocumentIdentity identity)
    {
        // A bare "StandardBusinessDocument" is an envelope whose payload was not identified: no business document.
        if (identity.Format != DocumentFormat.Xml || string.IsNullOrEmpty(identity.DocumentType) || identity.DocumentType == "StandardBusinessDocument")
        {
            return [];
        }
        return
        [
            new BusinessDocument
            {
                MessageIndex = 0,
                MessageReference = "",
                Type = identity.DocumentType,
                Number = identity.ControlReference?.Trim() ?? "",
                Function = DocumentFunction.Original,
                IssuingCountry = identity.OriginCountry?.Trim().ToUpperInvariant() ?? "",
                DestinationCountry = identity.DestinationCountry?.Trim().ToUpperInvariant() ?? "",
            },
        ];
    }
}
