using System.Collections.Concurrent;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The last poll result of each inbound channel, written by <see cref="InboundPollJob"/> and read by /health/ready:
/// a partner whose SFTP server refuses logins shows up there instead of only in the log.
/// </summary>
internal sealed class ChannelPollStatus(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, PollResult> _last = new(StringComparer.OrdinalIgnoreCase);

    public void Succeeded(string partner) => _last[partner] = new PollResult(true, time.GetUtcNow(), null);

    public void Failed(string partner, string error) => _last[partner] = new PollResult(false, time.GetUtcNow(), error);

    /// <summary>Partners polled at least once; a channel not polled yet is not reported (start-up is not a failure).</summary>
    public IReadOnlyDictionary<string, PollResult> Snapshot() => new Dictionary<string, PollResult>(_last, StringComparer.OrdinalIgnoreCase);
}

internal sealed record PollResult(bool Ok, DateTimeOffset At, string? Error);
