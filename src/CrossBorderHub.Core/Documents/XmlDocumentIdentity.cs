using System.Globalization;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Xml.Schemas;

namespace CrossBorderHub.Core.Documents;

/// <summary>
/// An XML document's business identity from its schema pack's declarative identity XPaths (pack.json "identity"):
/// number (default: controlReference), issue date, function (through the pack's functionCodes), referenced document,
/// origin and destination country. A new pack brings its own rules; nothing here knows a document type.
/// </summary>
public static class XmlDocumentIdentity
{
    /// <summary>One document when a pack identified the XML (a document type), none otherwise.</summary>
    public static IReadOnlyList<BusinessDocument> From(DocumentIdentity identity, GradedIdentity? graded = null)
    {
        // A bare "StandardBusinessDocument" is an envelope whose payload was not identified: no business document.
        if (identity.Format != DocumentFormat.Xml || string.IsNullOrEmpty(identity.DocumentType) || identity.DocumentType == "StandardBusinessDocument")
        {
            return [];
        }
        var function = graded is null ? DocumentFunction.Original : Enum.TryParse<DocumentFunction>(graded.Function, out var f) ? f : DocumentFunction.Other;
        return
        [
            new BusinessDocument
            {
                MessageIndex = 0,
                MessageReference = "",
                Type = identity.DocumentType,
                Number = (graded?.Number ?? identity.ControlReference)?.Trim() ?? "",
                Function = function,
                FunctionCode = graded?.FunctionCode ?? "",
                IssueDate = graded?.IssueDate is { } date ? DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                IssuingCountry = identity.OriginCountry?.Trim().ToUpperInvariant() ?? "",
                DestinationCountry = identity.DestinationCountry?.Trim().ToUpperInvariant() ?? "",
                ReferencedNumber = graded?.ReferencedNumber?.Trim() ?? "",
            },
        ];
    }
}
