namespace CrossBorderHub.Core.Documents;

/// <summary>"Is this certificate genuine?": type (full or message type), number and issuing country, all required.</summary>
public sealed record VerifyQuery(string Type, string Number, string Country);

/// <summary>
/// The answer to an authenticity lookup. Unknown: only <see cref="Known"/> = false and the question. Known: who sent
/// it on which channel, the signature as verified at reception with the pinned certificate, its current status
/// (valid, replaced by N, cancelled, rejected), the SHA-256 of the content as received, and where it was delivered.
/// </summary>
public sealed record DocumentVerification(bool Known, VerifyQuery Query)
{
    public long? DocumentId { get; init; }
    public string? Type { get; init; }
    public string? Number { get; init; }
    public DocumentFunction? Function { get; init; }
    public DateOnly? IssueDate { get; init; }
    public string? IssuingCountry { get; init; }
    public string? DestinationCountry { get; init; }
    public string? MessageId { get; init; }
    public string? ReceivedFromPartner { get; init; }
    public string? ReceivedOnChannel { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>null when the document carried no signature the hub checked.</summary>
    public DocumentSignatureAnswer? Signature { get; init; }

    /// <summary>valid, replaced, cancelled or rejected.</summary>
    public string? Status { get; init; }

    /// <summary>A sentence: "valid", "replaced by CO-2", "cancelled by CO-1 (Cancellation)", "rejected: never delivered".</summary>
    public string? StatusText { get; init; }

    public DocumentState? State { get; init; }
    public string? ReplacedBy { get; init; }
    public string? ContentSha256 { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public IReadOnlyList<string> DeliveredTo { get; init; } = [];

    /// <summary>How many copies arrived again and were not delivered (business duplicates).</summary>
    public int Duplicates { get; init; }
}

/// <summary>The signature as verified at reception: valid or not, and the pinned certificate (subject, SHA-256 fingerprint, validity).</summary>
public sealed record DocumentSignatureAnswer(bool Verified, string Subject, string Fingerprint, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, string Detail);
