using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.Folder;

/// <summary>
/// Picks up files from a local folder. A file is taken only when it is older than
/// <see cref="FolderChannelOptions.MinimumAge"/> and two looks <see cref="FolderChannelOptions.StableInterval"/> apart
/// agree on its size and time; temporary names (<see cref="FolderChannelOptions.IgnorePatterns"/>) are never taken, and
/// with a <see cref="FolderChannelOptions.ReadyMarker"/> a file waits for its marker. The read fails, so the store commits
/// nothing, when the file changed while it was read, and the source is removed (or archived) only after the sink
/// stored it and a last look shows it unchanged: a writer that resumes keeps its file.
/// </summary>
internal sealed class FolderInboundChannel(ChannelSettings settings, FolderChannelOptions options) : IInboundChannel
{
    private readonly string _folder = settings.Context.ResolvePath(options.Path);
    private readonly string? _archive = string.IsNullOrWhiteSpace(options.ArchivePath) ? null : settings.Context.ResolvePath(options.ArchivePath);
    private readonly ILogger _logger = settings.Context.LoggerFactory.CreateLogger<FolderInboundChannel>();
    private readonly FileLooks _looks = new();
    private readonly PickupRules _rules = new(options.IgnorePatterns, options.ReadyMarker);
    private IgnoredNames? _ignored;

    public async Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var time = settings.Context.Time;
        var (candidates, stable) = Look(time.GetUtcNow());
        var waiting = candidates.Where(c => !stable.Contains(c)).ToList();
        if (waiting.Count > 0)
        {
            // The second look within this poll, so a new file is not left for a whole poll interval. With no
            // StableInterval (senders that write under a temporary name and rename) it follows at once.
            // (+50 ms: a timer may fire a little before the wall clock reaches the interval.)
            if (options.StableInterval > TimeSpan.Zero)
            {
                await Task.Delay(_looks.WaitFor(waiting, time.GetUtcNow(), options.StableInterval) + TimeSpan.FromMilliseconds(50), time, cancellationToken);
            }
            (candidates, stable) = Look(time.GetUtcNow());
        }
        int accepted = 0, deferred = candidates.Count(c => !stable.Contains(c)), failed = 0;
        // In batches: the sink stores a batch's files side by side and records them in one commit (group commit).
        foreach (var batch in candidates.Where(stable.Contains).Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var looks = batch.Select(name => _looks.TryGet(name, out var look) ? look : default).ToArray();
            var items = batch.Select((name, i) => new InboundItem(new InboundOrigin(settings.Partner, settings.Channel, name), () => Open(name, looks[i]))).ToList();
            var outcomes = await sink.AcceptManyAsync(items, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                var (name, path) = (batch[i], Path.Combine(_folder, batch[i]));
                try
                {
                    if (outcomes[i].Error is { } error)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                    }
                    // Stored: one more look right before removing, so a writer that resumed is never cut off.
                    EnsureUnchanged(path, name, looks[i]);
                    RemoveSource(path, name);
                    RemoveMarker(name);
                    accepted++;
                }
                catch (SourceChangedException ex)
                {
                    _logger.LogWarning("Partner {Partner} channel {Channel}: {Error}", settings.Partner, settings.Channel, PartnerText.Escape(ex.Message));
                    deferred++;
                }
                catch (IOException ex)
                {
                    // Locked by the writer or vanished: leave it for the next poll; the other files keep flowing.
                    _logger.LogWarning("Partner {Partner} channel {Channel}: cannot pick up {File} yet: {Error}", settings.Partner, settings.Channel, PartnerText.Escape(path), PartnerText.Escape(ex.Message));
                    failed++;
                }
                catch (UnauthorizedAccessException ex)
                {
                    _logger.LogError("Partner {Partner} channel {Channel}: permission denied on {File}: {Error}", settings.Partner, settings.Channel, PartnerText.Escape(path), PartnerText.Escape(ex.Message));
                    failed++;
                }
            }
        }
        return new PollResult(accepted, deferred, failed);
    }

    // Files per batch handed to the sink: one commit each; small enough that a stop loses little work in flight.
    private const int BatchSize = 128;

    private CheckedReadStream Open(string name, FileLook look)
    {
        var path = Path.Combine(_folder, name);
        return new CheckedReadStream(
            // Unbuffered (bufferSize 1): the blob store reads in chunks of 64 KiB and more itself, and an 80 KiB buffer
            // per file of a 300-byte batch was most of the intake's allocations.
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan),
            look.Size, PartnerText.Escape(name), () => EnsureUnchanged(path, name, look));
    }

    /// <summary>Lists the folder: every candidate (sorted), and those old enough whose size and time held long enough.</summary>
    private (List<string> Candidates, HashSet<string> Stable) Look(DateTimeOffset now)
    {
        var listed = Directory.EnumerateFiles(_folder, options.Mask).Select(p => new FileInfo(p)).ToList();
        (_ignored ??= new IgnoredNames(settings, _logger, _rules)).Observe(listed.Select(f => f.Name));
        var files = listed
            .Where(f => !_rules.IsIgnored(f.Name) && (_rules.MarkerFor(f.Name) is not { } marker || File.Exists(Path.Combine(_folder, marker))))
            .Select(f => (f.Name, f.Length, LastWrite: new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
            .ToList();
        var stable = _looks.Observe(files, now, options.StableInterval);
        stable.IntersectWith(files.Where(f => now - f.LastWrite >= options.MinimumAge).Select(f => f.Name));
        var candidates = files.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        return (candidates, stable);
    }

    private static void EnsureUnchanged(string path, string name, FileLook look)
    {
        var now = new FileInfo(path);
        if (!now.Exists || now.Length != look.Size || new DateTimeOffset(now.LastWriteTimeUtc, TimeSpan.Zero) != look.LastWriteUtc)
        {
            throw new SourceChangedException($"{PartnerText.Escape(name)} changed after it was listed (now {(now.Exists ? now.Length : 0)} bytes, {look.Size} listed): left for a later poll");
        }
    }

    /// <summary>After the file is stored and removed: a marker left behind would wait for a file that never comes.</summary>
    private void RemoveMarker(string name)
    {
        if (_rules.MarkerFor(name) is not { } marker)
        {
            return;
        }
        try
        {
            File.Delete(Path.Combine(_folder, marker));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The document is stored already; the leftover marker matches no file, so it does no harm.
            _logger.LogWarning("Partner {Partner} channel {Channel}: {File} stored, but its marker {Marker} cannot be removed: {Error}",
                settings.Partner, settings.Channel, name, marker, ex.Message);
        }
    }

    private void RemoveSource(string path, string name)
    {
        if (_archive is null)
        {
            File.Delete(path);
            return;
        }
        Directory.CreateDirectory(_archive);
        File.Move(path, Path.Combine(_archive, name), overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
