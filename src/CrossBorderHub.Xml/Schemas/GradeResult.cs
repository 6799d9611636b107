namespace CrossBorderHub.Xml.Schemas;

/// <summary>What grading one XML document found; the hub maps it onto its own inspection.</summary>
public sealed record GradeResult(
    string? RootNamespace,
    string? RootName,
    CompiledDocument? Pack,
    GradedIdentity Identity,
    bool Signed,
    string? SignatureLocation,
    bool WellFormed);

/// <summary>The ePhyto hub's grades: SEVERE (Error: rejected), WARNING (delivered with warnings), INFO.</summary>
public enum GradeSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One finding: <see cref="Code"/> as XML-SCHEMA or the pack rule's code, <see cref="Location"/> as "line:column /path".</summary>
public sealed record GradeFinding(GradeSeverity Severity, string Code, string Message, string Location);

/// <summary>What the schema pack's identity XPaths read from the document (all null where the pack says nothing).</summary>
public sealed record GradedIdentity
{
    /// <summary>The pack's document type (e.g. "CertificateOfOrigin"); empty when no pack recognises the document.</summary>
    public string DocumentType { get; init; } = "";

    public string? Sender { get; init; }

    public string? Recipient { get; init; }

    public string? ControlReference { get; init; }

    /// <summary>ISO 3166 alpha-2, upper case.</summary>
    public string? OriginCountry { get; init; }

    /// <summary>ISO 3166 alpha-2, upper case.</summary>
    public string? DestinationCountry { get; init; }

    public bool IsTest { get; init; }

    /// <summary>The business document number (the pack's number XPath, else its controlReference).</summary>
    public string? Number { get; init; }

    /// <summary>yyyy-MM-dd when the pack's issueDate XPath found a date.</summary>
    public string? IssueDate { get; init; }

    /// <summary>The function value as written, and what the pack's functionCodes make of it (Original when absent).</summary>
    public string FunctionCode { get; init; } = "";

    /// <summary>Original, Replacement, Cancellation or Other.</summary>
    public string Function { get; init; } = "Original";

    public string? ReferencedNumber { get; init; }
}
