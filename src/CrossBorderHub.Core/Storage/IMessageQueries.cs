using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Storage;

/// <summary>
/// The read side of the store: what the admin web, its REST API and `hub messages` show. It changes nothing, so a
/// reader cannot move a message by mistake and the pipeline's <see cref="IMessageStore"/> stays what processing needs.
/// </summary>
public interface IMessageQueries
{
    Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; <see cref="MessageQuery.Limit"/> and <see cref="MessageQuery.Offset"/> page the result.</summary>
    Task<IReadOnlyList<MessageRecord>> FindAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>The audit trail of one message, oldest first.</summary>
    Task<IReadOnlyList<MessageEvent>> GetEventsAsync(string id, CancellationToken cancellationToken);

    /// <summary>The deliveries queued for one message, each with its attempts and last error.</summary>
    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Counts by status, for statistics, metrics and the admin page.</summary>
    Task<IReadOnlyDictionary<MessageStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);
}

/// <summary>Search criteria; null means any.</summary>
public sealed record MessageQuery
{
    public MessageStatus? Status { get; init; }
    /// <summary>Matches the source partner or any destination partner.</summary>
    public string? Partner { get; init; }
    public string? DocumentType { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
}
