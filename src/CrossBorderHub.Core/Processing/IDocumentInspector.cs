using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Identifies and validates one format (EDIFACT, XML). The pipeline asks each inspector whether it recognises the
/// first bytes; the one that does returns the identity, every finding, and optionally an acknowledgement to send
/// back and the correlation of an incoming acknowledgement. Malformed input is a finding, never an exception.
/// </summary>
public interface IDocumentInspector
{
    DocumentFormat Format { get; }

    /// <summary>True when <paramref name="head"/> (up to the first 4 KiB, BOM included) looks like this format.</summary>
    bool Recognizes(ReadOnlySpan<byte> head);

    Task<Inspection> InspectAsync(InspectionRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The stored message, a way to read its bytes (fresh stream each call), the sending partner's settings and, from
/// the CLI, overrides of the partner's validation settings.
/// </summary>
public sealed record InspectionRequest(
    MessageRecord Message,
    Func<Stream> OpenContent,
    string SourcePartner,
    PartnerOptions? SourcePartnerOptions,
    HubOptions Hub,
    InspectionOverrides? Overrides = null);

/// <summary>What `hub validate --level L --directory D --profile P` asks instead of the partner's profile; null fields keep it.</summary>
public sealed record InspectionOverrides(string? Level = null, string? Directory = null, string? Profile = null);

public enum FindingSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One problem: <see cref="Code"/> is the standard's code where there is one (ISO 9735 syntax error code, XSD,
/// XML-DSig...), <see cref="Location"/> says where (segment number and byte offset, or line:column and path).
/// </summary>
public sealed record Finding(FindingSeverity Severity, string Code, string Message, string Location)
{
    // Messages echo the partner's values (an element's text, a segment's bytes): escaped here, once, so no event,
    // reason, log line or CLI report built from a finding can carry a raw newline, ESC or bidi control.
    public string Message { get; init; } = Text.PartnerText.Escape(Message);

    public string Location { get; init; } = Text.PartnerText.Escape(Location);

    public override string ToString() => $"{Location}: {Severity.ToString().ToUpperInvariant()} {Code}: {Message}";
}

/// <summary>
/// An acknowledgement (CONTRL, APERAK, ...) to send back to the source partner; <see cref="Identity"/> is what its
/// own envelope says (sender, recipient, control reference), stored with it for search and the admin page.
/// </summary>
public sealed record OutgoingAcknowledgement(string Kind, string FileName, byte[] Content, DocumentIdentity? Identity = null);

/// <summary>
/// Present when the inspected document is itself an acknowledgement: it answers the interchange that
/// <see cref="OriginalSender"/> sent under <see cref="OriginalReference"/>.
/// </summary>
public sealed record Correlation(string? OriginalSender, string OriginalReference, bool Accepted, string Summary);

/// <summary>
/// The valid messages of an interchange whose other messages have errors, as one interchange to route instead of the
/// original, when the sender's agreement allows partial acceptance.
/// </summary>
public sealed record PartialAcceptance(byte[] Content, int Accepted, IReadOnlyList<string> RejectedReferences);

public sealed record Inspection(
    DocumentIdentity Identity,
    IReadOnlyList<Finding> Findings,
    OutgoingAcknowledgement? Reply = null,
    Correlation? Answers = null,
    PartialAcceptance? Partial = null)
{
    /// <summary>The business documents the content carries (one per EDIFACT message); empty when the format gives none yet.</summary>
    public IReadOnlyList<BusinessDocument> Documents { get; init; } = [];

    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);
}
