namespace CrossBorderHub.Core.Storage;

/// <summary>
/// The operator's delivery buttons besides replay (<see cref="Processing.Replayer"/>): send a delivered message again,
/// and try a waiting delivery now instead of at the end of its backoff. Each returns how many deliveries it changed.
/// </summary>
public interface IDeliveryActions
{
    /// <summary>Queues the delivered deliveries of a Delivered or Acknowledged message again (same file names: replacing, not duplicating).</summary>
    Task<int> ResendAsync(string messageId, string origin, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes the waiting (Pending, not leased) deliveries of a message due now.</summary>
    Task<int> RetryNowAsync(string messageId, string origin, DateTimeOffset now, CancellationToken cancellationToken);
}
