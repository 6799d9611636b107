using CrossBorderHub.Core.Documents;

namespace CrossBorderHub.Core.Storage;

/// <summary>Records the business documents identification found in a message (one row per EDIFACT message).</summary>
public interface IDocumentStore
{
    /// <summary>Appends the documents of <paramref name="messageId"/>; recording the same message again replaces its rows (reprocessing).</summary>
    Task RecordAsync(string messageId, IReadOnlyList<BusinessDocument> documents, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The business duplicate decision, when the message is valid and about to be routed: each numbered document
    /// takes its key (type + number + issuing country + function) under a UNIQUE constraint, or finds it taken by a
    /// copy received within <paramref name="window"/> (Duplicate). A new replacement or cancellation marks the
    /// original (its referenced number, else the same number, function Original) Replaced or Cancelled.
    /// </summary>
    Task<IReadOnlyList<DocumentDecision>> ClaimAsync(string messageId, TimeSpan window, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Document search for people (API, `hub documents`): every criterion is optional, all given ones must match.</summary>
public interface IDocumentQueries
{
    Task<IReadOnlyList<DocumentRecord>> FindAsync(DocumentQuery query, CancellationToken cancellationToken);

    /// <summary>Every document matching <paramref name="query"/>, ignoring its page (Limit, Before).</summary>
    Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken);

    /// <summary>The authenticity lookup; every call is recorded in hub_document_lookups with <paramref name="askedBy"/>, known or not.</summary>
    Task<DocumentVerification> VerifyAsync(VerifyQuery query, string askedBy, DateTimeOffset at, CancellationToken cancellationToken);

    Task<DocumentRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The documents linked to <paramref name="id"/>: its copies (duplicates), the original it replaced or cancelled, what replaced it.</summary>
    Task<IReadOnlyList<DocumentRecord>> RelatedAsync(long id, CancellationToken cancellationToken);
}

/// <summary>
/// Search criteria. <see cref="Country"/> matches the issuing or the destination country; <see cref="Type"/> matches
/// the whole type ("CUSDEC/929") or its message type ("CUSDEC"); From/To bound the issue date, both inclusive;
/// <see cref="State"/> is one document state; <see cref="Offset"/> skips that many (newest first) for paging.
/// </summary>
/// <remarks><see cref="Before"/> is the API's cursor: only documents with a smaller id (the last of the previous page).</remarks>
public sealed record DocumentQuery(string? Number = null, string? Type = null, string? Country = null, DateOnly? From = null, DateOnly? To = null, int Limit = 100,
    DocumentState? State = null, int Offset = 0, long? Before = null);

/// <summary>A stored document and the message that carried it.</summary>
public sealed record DocumentRecord(
    long Id,
    string MessageId,
    int MessageIndex,
    string MessageReference,
    string Type,
    string Number,
    DocumentFunction Function,
    string FunctionCode,
    DateOnly? IssueDate,
    string IssuingCountry,
    string DestinationCountry,
    DateTimeOffset RecordedAt)
{
    public string ReferencedNumber { get; init; } = "";

    public DocumentState State { get; init; }

    public string SourcePartner { get; init; } = "";

    public long? DuplicateOf { get; init; }

    public long? SupersededBy { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>The original this replacement or cancellation superseded.</summary>
    public long? Supersedes { get; init; }

    public string SourceChannel { get; init; } = "";

    /// <summary>Null when unsigned or not checked; else whether the signature verified with the sender's pinned certificate.</summary>
    public bool? SignatureVerified { get; init; }

    public string? SignerSubject { get; init; }
}
