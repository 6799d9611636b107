namespace CrossBorderHub.Core.Documents;

/// <summary>BGM 1225 (message function) reduced to what a document's life needs: first issue, replacement, cancellation.</summary>
public enum DocumentFunction
{
    Original,
    Replacement,
    Cancellation,
    /// <summary>A code the hub does not map (or none): kept as <see cref="BusinessDocument.FunctionCode"/>.</summary>
    Other,
}

/// <summary>
/// The business identity of one document: for EDIFACT, one message of an interchange (UNH + BGM, NAD/LOC, DTM).
/// <see cref="Number"/> is "" when the message carries none (the document is still recorded, with a warning).
/// </summary>
public sealed record BusinessDocument
{
    /// <summary>0-based position of the message in the interchange.</summary>
    public required int MessageIndex { get; init; }

    /// <summary>UNH 0062, to name the message in a warning.</summary>
    public required string MessageReference { get; init; }

    /// <summary>UNH message type (CUSDEC), and BGM 1001 when present: "CUSDEC/929".</summary>
    public required string Type { get; init; }

    public required string Number { get; init; }

    public required DocumentFunction Function { get; init; }

    /// <summary>BGM 1225 as written ("9", "5", "1", ...; "" when absent).</summary>
    public string FunctionCode { get; init; } = "";

    public DateOnly? IssueDate { get; init; }

    /// <summary>ISO 3166 alpha-2 as written in NAD 3207 or LOC 3225, "" when the message does not say.</summary>
    public string IssuingCountry { get; init; } = "";

    public string DestinationCountry { get; init; } = "";

    /// <summary>
    /// The earlier document a replacement or cancellation refers to (EDIFACT RFF by message type, the pack's
    /// referencedDocument XPath); "" when the document names none, which then means "the same number, function Original".
    /// </summary>
    public string ReferencedNumber { get; init; } = "";

    /// <summary>The XML signature checked against the sending partner's pinned certificates at identification; null when unsigned or not checked.</summary>
    public DocumentSignature? Signature { get; init; }
}

/// <summary>
/// What the hub verified about a document's signature: valid or not, and the pinned certificate it verified with
/// (subject, SHA-256 fingerprint of the DER, validity); what `verify` answers an authority asking "who signed it".
/// </summary>
public sealed record DocumentSignature(bool Verified, string Subject, string Fingerprint, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter, string Detail);
