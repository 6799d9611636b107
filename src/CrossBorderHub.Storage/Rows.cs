using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Storage;

/// <summary>Column-shaped rows that Dapper fills (snake_case matched by name); converted to the Core records here only.</summary>
internal sealed class MessageRow
{
    public string Id { get; set; } = "";
    public long ReceivedAt { get; set; }
    public string SourcePartner { get; set; } = "";
    public string SourceChannel { get; set; } = "";
    public string RemoteName { get; set; } = "";
    public string BlobHash { get; set; } = "";
    public long Length { get; set; }
    public string Status { get; set; } = "";
    public string Format { get; set; } = "";
    public string? DocumentType { get; set; }
    public string? Sender { get; set; }
    public string? Recipient { get; set; }
    public string? ControlReference { get; set; }
    public long IsTest { get; set; }
    public string? RelatedMessageId { get; set; }
    public string? Reason { get; set; }
    public long UpdatedAt { get; set; }

    public MessageRecord ToRecord() => new()
    {
        Id = Id,
        ReceivedAt = Time.From(ReceivedAt),
        SourcePartner = SourcePartner,
        SourceChannel = SourceChannel,
        RemoteName = RemoteName,
        BlobHash = BlobHash,
        Length = Length,
        Status = Enum.Parse<MessageStatus>(Status),
        Format = Enum.Parse<DocumentFormat>(Format),
        DocumentType = DocumentType,
        Sender = Sender,
        Recipient = Recipient,
        ControlReference = ControlReference,
        IsTest = IsTest != 0,
        RelatedMessageId = RelatedMessageId,
        Reason = Reason,
        UpdatedAt = Time.From(UpdatedAt),
    };
}

internal sealed class EventRow
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string Detail { get; set; } = "";

    public MessageEvent ToRecord() => new(Id, MessageId, Time.From(At), Kind, Detail);
}

internal sealed class DeliveryRow
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string Partner { get; set; } = "";
    public string FileName { get; set; } = "";
    public string BlobHash { get; set; } = "";
    public long Length { get; set; }
    public string Route { get; set; } = "";
    public string State { get; set; } = "";
    public long Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }

    public DeliveryRecord ToRecord() => new()
    {
        Id = Id,
        MessageId = MessageId,
        Partner = Partner,
        FileName = FileName,
        BlobHash = BlobHash,
        Length = Length,
        Route = Route,
        State = Enum.Parse<DeliveryState>(State),
        Attempts = (int)Attempts,
        NextAttemptAt = Time.From(NextAttemptAt),
        LastError = LastError,
    };
}

/// <summary>Timestamps are Unix milliseconds in every database.</summary>
internal static class Time
{
    public static long To(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
