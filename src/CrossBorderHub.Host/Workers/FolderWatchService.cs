using System.Collections.Concurrent;
using CrossBorderHub.Core.Channels;
using Quartz;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// Polls a partner's inbound channel now rather than at its next tick. Requests coalesce: however many arrive while a
/// poll is pending, one poll runs (the poll job clears the request before it lists the source, so what arrives after
/// that asks again). Only watched channels are asked; the others keep their schedule alone.
/// </summary>
internal sealed class PollRequests(ISchedulerFactory schedulers, ILogger<PollRequests> logger)
{
    /// <summary>A poll that left files waiting (too young, not yet stable) looks again this soon.</summary>
    private static readonly TimeSpan WaitingRetry = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, int> _pending = new(StringComparer.OrdinalIgnoreCase);

    public void Watch(string partner) => _pending.TryAdd(partner, 0);

    public void Request(string partner)
    {
        if (!_pending.TryGetValue(partner, out var pending) || pending == 1 || !_pending.TryUpdate(partner, 1, 0))
        {
            return;
        }
        _ = TriggerAsync(partner);
    }

    /// <summary>Called by the poll job before it lists the source.</summary>
    public void Taken(string partner) => _pending.TryUpdate(partner, 0, 1);

    /// <summary>After a poll that deferred files: a watched channel takes them when they are ready, not at the next tick.</summary>
    public void Deferred(string partner)
    {
        if (_pending.ContainsKey(partner))
        {
            _ = Task.Delay(WaitingRetry).ContinueWith(_ => Request(partner), TaskScheduler.Default);
        }
    }

    private async Task TriggerAsync(string partner)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            await scheduler.TriggerJob(new JobKey($"poll-{partner}"));
        }
        catch (SchedulerException ex)
        {
            // Shutting down, or Quartz not started yet: the schedule's own poll takes the file.
            _pending.TryUpdate(partner, 0, 1);
            logger.LogDebug("Immediate poll of {Partner} not triggered: {Error}", partner, ex.Message);
        }
    }
}

/// <summary>
/// A FileSystemWatcher on each folder inbound channel: a file appearing triggers a poll at once, so a file is
/// delivered in milliseconds at idle instead of at the next tick. The schedule stays as the fallback (a network share
/// that sends no events, an overflowed event buffer, a watcher that failed).
/// </summary>
internal sealed class FolderWatchService(ChannelRegistry registry, ChannelContext context, PollRequests requests, ILogger<FolderWatchService> logger) : IHostedService, IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (partner, section) in registry.InboundSections.Where(s => string.Equals(s.Section["Type"], "folder", StringComparison.OrdinalIgnoreCase)))
        {
            var folder = context.ResolvePath(section["Path"] ?? "");
            try
            {
                Directory.CreateDirectory(folder);
                var watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite };
                FileSystemEventHandler changed = (_, _) => requests.Request(partner);
                watcher.Created += changed;
                watcher.Changed += changed;
                watcher.Renamed += (_, _) => requests.Request(partner);
                watcher.Error += (_, e) =>
                {
                    // Lost events (buffer overflow): one poll looks at everything anyway.
                    logger.LogWarning("Watching {Folder} for partner {Partner}: {Error}; polling covers it", folder, partner, e.GetException().Message);
                    requests.Request(partner);
                };
                requests.Watch(partner);
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // inotify limits, a path that cannot be watched: the schedule still polls it.
                logger.LogWarning("Cannot watch {Folder} for partner {Partner} ({Error}): it is polled on its schedule only", folder, partner, ex.Message);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _watchers.Clear();
    }
}
