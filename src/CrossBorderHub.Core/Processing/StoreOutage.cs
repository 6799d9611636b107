using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Raised by <see cref="Intake"/> while the message store (the database) cannot be reached: the channel stops its poll
/// and keeps every source. Not an <see cref="IOException"/> on purpose, so channels do not log it once per file per poll.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Whether the message store is unreachable (PostgreSQL or SQL Server stopped, restarting, network gone). Intake, the
/// processing loop and the outbox report here; the outage is logged once when it starts and once when it ends (not
/// per poll) and shown on /health, so an admin sees one clear line and a failing health check while the hub waits.
/// </summary>
public sealed class StoreOutage(TimeProvider time, ILogger<StoreOutage> logger)
{
    private readonly Lock _gate = new();
    private long _downAt;

    public DateTimeOffset? DownSince { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>
    /// A failure of the store itself rather than of one message: a database exception the provider calls transient
    /// (connection refused or broken, server shutting down or starting up), wherever it sits in the exception chain.
    /// Core cannot name Npgsql's or SqlClient's types; <see cref="DbException.IsTransient"/> is their common word for it.
    /// </summary>
    public static bool IsStoreFault(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is StoreUnavailableException or DbException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    public void MarkDown(Exception cause)
    {
        lock (_gate)
        {
            if (DownSince is not null)
            {
                return;
            }
            DownSince = time.GetUtcNow();
            _downAt = time.GetTimestamp();
            Reason = cause.Message;
        }
        logger.LogError("Store unreachable: {Error}. Intake, processing and delivery wait and retry with backoff; no source is removed. Check Hub:Store and the database server.", cause.Message);
    }

    /// <summary>A timestamp to take before a store call and hand to <see cref="MarkUp"/> when it succeeded.</summary>
    public long Started() => time.GetTimestamp();

    /// <summary>
    /// A store call that began at <paramref name="startedAt"/> succeeded. One that began before the outage was noticed
    /// (a query already in flight when the server stopped) proves nothing and is ignored, so the outage is not
    /// logged as over and begun again within a second.
    /// </summary>
    public void MarkUp(long startedAt)
    {
        DateTimeOffset? since;
        lock (_gate)
        {
            if (DownSince is null || startedAt <= _downAt)
            {
                return;
            }
            since = DownSince;
            DownSince = null;
            Reason = null;
        }
        logger.LogWarning("Store reachable again (unreachable since {Since:O}); intake, processing and delivery resume.", since);
    }

    /// <summary>The wait before the next try after <paramref name="failures"/> consecutive failed rounds: 1 s doubling to 10 s
    /// (one connection attempt per round is cheap; a restarted database is picked up within seconds).</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(10, Math.Pow(2, Math.Clamp(failures - 1, 0, 4))));
}
