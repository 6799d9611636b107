using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Storage;

/// <summary>
/// What the pipeline does to messages and their audit trail. Each state change and its event row commit together.
/// Reading for people (search, events, counts) is <see cref="IMessageQueries"/>; the schema is migrated by the
/// composition root (CrossBorderHub.Storage's StoreSchema), not through this port.
/// Dialects (SQLite, PostgreSQL, SQL Server) implement it in CrossBorderHub.Storage; one contract test suite runs over all.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Records a received payload (already in the blob store) as <see cref="MessageStatus.Received"/>, or as
    /// <see cref="MessageStatus.Duplicate"/> when the same hash came from the same channel since <paramref name="duplicateSince"/>.
    /// </summary>
    Task<MessageRecord> RecordReceivedAsync(NewMessage message, DateTimeOffset duplicateSince, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RecordReceivedAsync"/> for several payloads in one transaction (one durable commit for all: the
    /// intake's group commit); returns each one's status, Received or Duplicate, in order.
    /// </summary>
    async Task<IReadOnlyList<MessageStatus>> RecordReceivedManyAsync(IReadOnlyList<NewMessage> messages, DateTimeOffset duplicateSince, CancellationToken cancellationToken)
    {
        var statuses = new List<MessageStatus>(messages.Count);
        foreach (var message in messages)
        {
            statuses.Add((await RecordReceivedAsync(message, duplicateSince, cancellationToken)).Status);
        }
        return statuses;
    }

    /// <summary>One message, for the step that acts on it (delivery, correlation, replay).</summary>
    Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Several messages at once (a delivery batch's); those not found are left out.</summary>
    async Task<IReadOnlyDictionary<string, MessageRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, MessageRecord>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (await GetAsync(id, cancellationToken) is { } message)
            {
                found[id] = message;
            }
        }
        return found;
    }

    /// <summary>Stores what identification found (document type, sender, recipient, reference...).</summary>
    Task SetIdentityAsync(string id, DocumentIdentity identity, CancellationToken cancellationToken);

    /// <summary>Changes the status and appends an event, in one transaction. <paramref name="reason"/> is kept on the row.</summary>
    Task TransitionAsync(string id, MessageStatus status, string eventKind, string detail, string? reason, CancellationToken cancellationToken);

    /// <summary>Appends an event without changing the status (warnings, attempts, acknowledgements sent).</summary>
    Task AddEventAsync(string id, string eventKind, string detail, CancellationToken cancellationToken);

    /// <summary>
    /// The id of an earlier, non-duplicate message from the same sender with the same control reference received
    /// since <paramref name="since"/>, other than <paramref name="exceptId"/>; null when there is none.
    /// </summary>
    Task<string?> FindInterchangeAsync(string sender, string controlReference, DateTimeOffset since, string exceptId, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> messages still in <see cref="MessageStatus.Received"/> for processing, so
    /// several instances never process the same one at once; a lease that expires (crash) makes it claimable again.
    /// </summary>
    Task<IReadOnlyList<MessageRecord>> ClaimReceivedAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Frees the leases an instance of this name held on messages and deliveries: called at start-up, because a
    /// process that died (power cut, SIGKILL) cannot release them itself and its work must resume at once.
    /// </summary>
    Task ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Frees only the message leases of <paramref name="owner"/>: the processing loop calls it after a failed batch (a
    /// database outage mid-batch), when none of its messages is in flight, so they are retried at once, not after Lease.
    /// </summary>
    Task ReleaseMessageLeasesAsync(string owner, CancellationToken cancellationToken);
}

/// <summary>
/// A payload just stored in the blob store. <see cref="Outgoing"/> marks a document the hub itself wrote (an
/// acknowledgement): it starts as Routed, skips duplicate detection and is never processed as input.
/// </summary>
public sealed record NewMessage(
    string Id,
    DateTimeOffset ReceivedAt,
    string SourcePartner,
    string SourceChannel,
    string RemoteName,
    string BlobHash,
    long Length,
    string? RelatedMessageId = null,
    bool Outgoing = false);
