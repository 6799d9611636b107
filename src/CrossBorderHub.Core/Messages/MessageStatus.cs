namespace CrossBorderHub.Core.Messages;

/// <summary>Where a message is in its life. Every change is also written as an event row.</summary>
public enum MessageStatus
{
    /// <summary>Bytes are durable in the blob store; not yet identified.</summary>
    Received,
    /// <summary>The same interchange (or the same bytes from the same channel) was seen before.</summary>
    Duplicate,
    /// <summary>Identification or validation failed, or no route matched; never delivered.</summary>
    Rejected,
    /// <summary>Valid and routed: deliveries are queued in the outbox.</summary>
    Routed,
    /// <summary>Every delivery succeeded.</summary>
    Delivered,
    /// <summary>A delivery failed for good (attempts exhausted or refused by the partner).</summary>
    DeadLettered,
    /// <summary>The partner's acknowledgement (CONTRL, APERAK, MDN) came back for it.</summary>
    Acknowledged,
}
