using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// Reloads the mappings when a file under the mappings folder changes: a FileSystemWatcher wakes it (events coalesced
/// for a moment, as an editor writes a file in several steps), and a periodic re-check covers the file systems that
/// deliver no events (network shares, some containers). The pipeline also re-checks before every mapped message.
/// After every load result it writes DataRoot/mappings-state.json (what is in force), which `hub mappings` shows.
/// </summary>
internal sealed class MappingReloadService(MappingRegistry mappings, HubOptions options, TimeProvider time, ILogger<MappingReloadService> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Lock _writing = new();
    private IReadOnlyList<MappingEntry>? _written;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = Watch();
        // A reload by the pipeline or the API (before this loop's next re-check) is written at once: `hub mappings` run
        // right after /api/mappings said "last-good" showed the state of 5 s before.
        mappings.Changed += WriteState;
        using var unsubscribe = stoppingToken.Register(() => mappings.Changed -= WriteState);
        WriteState();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(Recheck, stoppingToken))
                {
                    await Task.Delay(Settle, stoppingToken);
                }
                mappings.ReloadIfChanged();
                WriteState();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                MappingStateFile.Delete(options.DataRoot);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Mappings in {Root} cannot be read ({Error}); the versions in force stay, retrying in {Delay}", mappings.Root, ex.Message, Recheck);
            }
        }
    }

    /// <summary>Rewrites the state file when the entries changed (a reload here, or one the pipeline did before a message).</summary>
    private void WriteState()
    {
        lock (_writing)
        {
            var entries = mappings.Entries;
            if (ReferenceEquals(entries, _written))
            {
                return;
            }
            try
            {
                MappingStateFile.Write(options.DataRoot, MappingStateFile.Of(mappings.Root, entries, time.GetUtcNow()));
                _written = entries;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Cannot write {File} ({Error}); `hub mappings` shows the files on disk instead", MappingStateFile.PathIn(options.DataRoot), ex.Message);
            }
        }
    }

    private FileSystemWatcher? Watch()
    {
        if (!Directory.Exists(mappings.Root))
        {
            return null;
        }
        FileSystemWatcher watcher;
        try
        {
            watcher = new FileSystemWatcher(mappings.Root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            // e.g. the inotify instance limit: the periodic re-check still applies edits, only a little later.
            logger.LogWarning("Cannot watch {Root} ({Error}); mappings are re-checked every {Delay}", mappings.Root, ex.Message, Recheck);
            return null;
        }
        FileSystemEventHandler wake = (_, _) => Wake();
        watcher.Changed += wake;
        watcher.Created += wake;
        watcher.Deleted += wake;
        watcher.Renamed += (_, _) => Wake();
        // Too many events at once (a whole folder copied): the periodic re-check still catches up.
        watcher.Error += (_, e) => logger.LogWarning("Watching {Root} failed ({Error}); mappings are re-checked every {Delay}", mappings.Root, e.GetException().Message, Recheck);
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException ex)
        {
            logger.LogWarning("Cannot watch {Root} ({Error}); mappings are re-checked every {Delay}", mappings.Root, ex.Message, Recheck);
            watcher.Dispose();
            return null;
        }
        return watcher;
    }

    private void Wake()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
