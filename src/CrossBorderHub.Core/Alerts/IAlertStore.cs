namespace CrossBorderHub.Core.Alerts;

/// <summary>
/// One alert: a condition a rule found (Key names it, e.g. "dead-letter:MESSAGE-ID"), from when it was raised until
/// it cleared. While ClearedAt is null it is open and is not notified again.
/// </summary>
public sealed record AlertRecord(string Key, string Rule, string Summary, string Detail, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt);

/// <summary>
/// The alert state, in the message store so that restarts and several instances agree on what was notified: each
/// change returns whether this caller made it, and only that caller notifies.
/// </summary>
public interface IAlertStore
{
    Task<IReadOnlyList<AlertRecord>> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Open alerts first, then the most recently cleared ones, up to <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AlertRecord>> RecentAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Opens the alert unless it is open already; true when this call opened it.</summary>
    Task<bool> RaiseAsync(AlertRecord alert, CancellationToken cancellationToken);

    /// <summary>Clears the open alert; true when this call cleared it.</summary>
    Task<bool> ClearAsync(string key, DateTimeOffset at, CancellationToken cancellationToken);
}
