using System.Collections.Concurrent;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The last poll result of each inbound channel, written by <see cref="InboundPollJob"/> and read by /health/ready:
/// a partner whose SFTP server refuses logins shows up there instead of only in the log.
/// </summary>
internal sealed class ChannelPollStatus(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, PollResult> _last = new(StringComparer.OrdinalIgnoreCase);

    // When each channel's current run of failures began: the channel-failing alert measures from there, not from the last failure.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failingSince = new(StringComparer.OrdinalIgnoreCase);

    public void Succeeded(string partner)
    {
        _last[partner] = new PollResult(true, time.GetUtcNow(), null);
        _failingSince.TryRemove(partner, out _);
    }

    public void Failed(string partner, string error)
    {
        var now = time.GetUtcNow();
        _last[partner] = new PollResult(false, now, error);
        _failingSince.TryAdd(partner, now);
    }

    /// <summary>Channels failing now, each with the time of the first failure since its last success.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> FailingSince() => new Dictionary<string, DateTimeOffset>(_failingSince, StringComparer.OrdinalIgnoreCase);

    /// <summary>Partners polled at least once; a channel not polled yet is not reported (start-up is not a failure).</summary>
    public IReadOnlyDictionary<string, PollResult> Snapshot() => new Dictionary<string, PollResult>(_last, StringComparer.OrdinalIgnoreCase);
}

internal sealed record PollResult(bool Ok, DateTimeOffset At, string? Error);
