namespace CrossBorderHub.Core.Messages;

/// <summary>One stored message: the payload is in the blob store under <see cref="BlobHash"/>.</summary>
public sealed record MessageRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string SourcePartner { get; init; }
    public required string SourceChannel { get; init; }
    public required string RemoteName { get; init; }
    public required string BlobHash { get; init; }
    public required long Length { get; init; }
    public required MessageStatus Status { get; init; }
    public DocumentFormat Format { get; init; }
    public string? DocumentType { get; init; }
    public string? Sender { get; init; }
    public string? Recipient { get; init; }
    public string? ControlReference { get; init; }
    public bool IsTest { get; init; }
    /// <summary>The message this one answers (acknowledgements) or was split from.</summary>
    public string? RelatedMessageId { get; init; }
    /// <summary>Why it was rejected, dead-lettered or is a duplicate; null otherwise.</summary>
    public string? Reason { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One row of the audit trail.</summary>
public sealed record MessageEvent(long Id, string MessageId, DateTimeOffset At, string Kind, string Detail);
