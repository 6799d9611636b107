using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Storage;

/// <summary>
/// Deliveries waiting to go out. Enqueueing and the message's move to Routed commit together; each attempt is
/// recorded; the message becomes Delivered when all its deliveries are, DeadLettered when one fails for good.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues the deliveries and moves the message to Routed in one transaction (idempotent per message + partner).</summary>
    Task EnqueueAsync(string messageId, IReadOnlyList<DeliveryRequest> deliveries, string detail, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records the hub's reply (a CONTRL...) to <see cref="NewMessage.RelatedMessageId"/> as a Routed message, its
    /// delivery and an event on the original, in one transaction, once per original and reply kind
    /// (<see cref="NewMessage.SourceChannel"/>): a crash after the commit and a re-run of the original's processing
    /// finds the reply already there and returns its id instead of making a second one. The delivery's file name is
    /// made from the id the reply gets, so <paramref name="delivery"/> is a function of that id. The split parts of a
    /// route with SplitMessages are recorded the same way (<paramref name="originalEventKind"/> "split").
    /// </summary>
    Task<(string ReplyId, bool Created)> EnqueueReplyAsync(NewMessage reply, DocumentIdentity identity, Func<string, DeliveryRequest> delivery,
        string detail, CancellationToken cancellationToken, string originalEventKind = "acknowledgement-sent");

    /// <summary>Leases due deliveries so that only one instance attempts each at a time.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Frees the delivery leases of <paramref name="owner"/>: the delivery loop calls it after a failed batch, when none
    /// of its deliveries is in flight, so a delivery sent but not recorded is retried at once, not after Lease.
    /// </summary>
    Task ReleaseDeliveryLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Records one attempt and its consequence for the delivery and the message, with an event.</summary>
    Task RecordAttemptAsync(DeliveryRecord delivery, AttemptResult result, CancellationToken cancellationToken);

    /// <summary>
    /// At start-up: re-drives messages a crash of older code left Routed without any delivery, which nothing would
    /// ever move again. A hub reply (CONTRL...) gets the delivery it lacks, to the partner of the message it answers;
    /// an inbound message goes back to Received, so processing routes it again (its reply, if any, is not made twice).
    /// One transaction; returns how many of each were re-driven.
    /// </summary>
    Task<(int Replies, int Messages)> RecoverUndeliveredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Re-queues every failed delivery of a message (used by `hub replay`).</summary>
    Task<int> RequeueAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>One destination for a message: partner, the outbound file name and the blob to send (after mapping/signing).</summary>
public sealed record DeliveryRequest(string Partner, string FileName, string BlobHash, long Length, string Route);

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

public sealed record DeliveryRecord
{
    public required long Id { get; init; }
    public required string MessageId { get; init; }
    public required string Partner { get; init; }
    public required string FileName { get; init; }
    public required string BlobHash { get; init; }
    public required long Length { get; init; }
    public required string Route { get; init; }
    public required DeliveryState State { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// The outcome to record: <see cref="NextAttemptAt"/> set means try again then; <see cref="Final"/> with
/// <see cref="Delivered"/> false means dead-lettered.
/// </summary>
public sealed record AttemptResult(bool Delivered, bool Final, string Detail, DateTimeOffset At, DateTimeOffset? NextAttemptAt);
