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

    /// <summary>How many messages match <paramref name="query"/>, ignoring its page (Limit, Offset, Before).</summary>
    Task<long> CountAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>The messages that answer or were split from <paramref name="id"/> (acknowledgements, parts), oldest first.</summary>
    Task<IReadOnlyList<MessageRecord>> GetRelatedAsync(string id, CancellationToken cancellationToken);

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
    /// <summary>Inbound: received from a partner; outbound: made by the hub itself (its CONTRL, APERAK, MDN replies).</summary>
    public MessageDirection? Direction { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
    /// <summary>Keyset cursor: only messages after this one in the newest-first order (the last row of the previous page).</summary>
    public MessageCursor? Before { get; init; }
}

public enum MessageDirection
{
    Inbound,
    Outbound,
}

/// <summary>A position in the newest-first message order: rows arriving between two pages never shift the next page.</summary>
public sealed record MessageCursor(DateTimeOffset ReceivedAt, string Id)
{
    public static MessageCursor Of(MessageRecord message) => new(message.ReceivedAt, message.Id);

    /// <summary>Opaque to callers: base64url of "unix-ms|id".</summary>
    public override string ToString() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ReceivedAt.ToUnixTimeMilliseconds()}|{Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static MessageCursor? Parse(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            var bar = decoded.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && long.TryParse(decoded[..bar], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && bar < decoded.Length - 1
                ? new MessageCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), decoded[(bar + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
