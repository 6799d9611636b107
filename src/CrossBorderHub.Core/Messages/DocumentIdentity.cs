namespace CrossBorderHub.Core.Messages;

/// <summary>The kind of payload, decided from its first bytes.</summary>
public enum DocumentFormat
{
    Unknown,
    Edifact,
    Xml,
}

/// <summary>
/// What identification learnt about a document: enough to route it. EDIFACT fills it from UNA/UNB/UNH,
/// XML from the root element, its namespace and the schema pack's manifest.
/// </summary>
public sealed record DocumentIdentity
{
    public DocumentFormat Format { get; init; }

    /// <summary>EDIFACT message type(s) joined by '+' (e.g. "CUSDEC") or the XML document type (e.g. "CertificateOfOrigin").</summary>
    public string DocumentType { get; init; } = "";

    /// <summary>Sender identification (UNB 0004, or the XML document's sender id where the pack knows where it is).</summary>
    public string? Sender { get; init; }

    /// <summary>Recipient identification (UNB 0010, or the XML document's recipient id).</summary>
    public string? Recipient { get; init; }

    /// <summary>Interchange control reference (UNB 0020) or the XML document's own identifier.</summary>
    public string? ControlReference { get; init; }

    /// <summary>ISO 3166 alpha-2 code of the destination country, where the document says it.</summary>
    public string? DestinationCountry { get; init; }

    /// <summary>ISO 3166 alpha-2 code of the origin country, where the document says it.</summary>
    public string? OriginCountry { get; init; }

    /// <summary>UNB 0035 = 1, or the XML document's test flag.</summary>
    public bool IsTest { get; init; }

    /// <summary>UNB 0031 = 1: the sender asks for a CONTRL.</summary>
    public bool AcknowledgementRequested { get; init; }
}
