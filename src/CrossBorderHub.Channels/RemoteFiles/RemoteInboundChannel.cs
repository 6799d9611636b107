using System.IO.Enumeration;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.RemoteFiles;

/// <summary>
/// Polls a remote folder (SFTP or FTP): each ready file is first renamed to a hidden claim name owned by this
/// instance (so two hubs never both take it), then streamed to the sink, and only after the sink returned is it
/// deleted or moved to the archive. A claim left behind by a crash or a dropped connection is resumed on the next
/// poll; the store recognises the second copy as a duplicate, so nothing is lost and nothing is processed twice.
/// </summary>
internal sealed class RemoteInboundChannel(
    ChannelSettings settings, RemoteFileOptions options, IRemoteFileConnector connector) : IInboundChannel
{
    private const string ClaimMarker = ".hub-claim-";
    private readonly ILogger _logger = settings.Context.LoggerFactory.CreateLogger<RemoteInboundChannel>();
    private readonly string _claimPrefix = ClaimMarker + options.InstanceId + "-";
    private readonly FileLooks _looks = new();
    private readonly PickupRules _rules = new(options.IgnorePatterns, options.ReadyMarker);
    private IgnoredNames? _ignored;
    private bool _archiveReady;

    public async Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        var counts = new Counts();
        IRemoteFileSession? session = null;
        try
        {
            session = await RemoteConnection.ConnectAsync(connector, options, settings.Context.Time, cancellationToken);
            var work = await PlanAsync(session, cancellationToken);
            counts.Deferred = work.Deferred;
            var remaining = work.Items;
            for (var round = 1; remaining.Count > 0; round++)
            {
                var interrupted = await PickUpAllAsync(session, remaining, sink, counts, cancellationToken);
                if (interrupted.Count == 0 || round >= options.ConnectAttempts)
                {
                    break; // done, or the connection keeps dropping: the rest waits for the next poll
                }
                // The server went away mid-batch: reconnect (with backoff) and go on with what is left; a file that
                // was claimed already is resumed by the next poll.
                await session.DisposeAsync();
                session = null;
                session = await RemoteConnection.ConnectAsync(connector, options, settings.Context.Time, cancellationToken);
                remaining = interrupted;
            }
        }
        catch (RemoteFileException ex)
        {
            counts.Failed++;
            _logger.LogError("{Error}", RemoteConnection.Describe(settings, connector, ex));
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
        return new PollResult(counts.Accepted, counts.Deferred, counts.Failed);
    }

    private sealed class Counts
    {
        public int Accepted;
        public int Deferred;
        public int Failed;
    }

    /// <summary>Picks up the items (several at once where the session allows); returns those cut off by a lost connection.</summary>
    private async Task<List<WorkItem>> PickUpAllAsync(
        IRemoteFileSession session, List<WorkItem> items, IInboundSink sink, Counts counts, CancellationToken cancellationToken)
    {
        var interrupted = new List<WorkItem>();
        var connectionLost = false;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = session.SupportsConcurrentOperations ? options.Parallelism : 1,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(items, parallel, async (item, token) =>
        {
            if (Volatile.Read(ref connectionLost))
            {
                lock (interrupted)
                {
                    interrupted.Add(item);
                }
                return;
            }
            try
            {
                if (await PickUpAsync(session, item, sink, token))
                {
                    Interlocked.Increment(ref counts.Accepted);
                }
            }
            catch (RemoteFileException ex) when (ex.Failure == RemoteFailure.Connection)
            {
                Interlocked.Increment(ref counts.Failed);
                if (!Interlocked.Exchange(ref connectionLost, true))
                {
                    _logger.LogWarning("{Error}", RemoteConnection.Describe(settings, connector, ex));
                }
                lock (interrupted)
                {
                    interrupted.Add(item);
                }
            }
            catch (RemoteFileException ex)
            {
                Interlocked.Increment(ref counts.Failed);
                _logger.LogError("{Error} (file {File})", RemoteConnection.Describe(settings, connector, ex), PartnerText.Escape(item.OriginalName));
            }
        });
        // An item cut off after its claim is now under the claim name: the next poll's listing resumes it.
        return interrupted.Where(i => !i.AlreadyClaimed).OrderBy(i => i.OriginalName, StringComparer.Ordinal).ToList();
    }

    private sealed record WorkItem(string OriginalName, string ClaimName, bool AlreadyClaimed, FileLook Look);

    private sealed record Plan(List<WorkItem> Items, int Deferred);

    private async Task<Plan> PlanAsync(IRemoteFileSession session, CancellationToken cancellationToken)
    {
        var time = settings.Context.Time;
        var interval = options.EffectiveStableInterval;
        var plan = await LookAsync(session, interval, cancellationToken);
        if (plan.Deferred > 0 && interval > TimeSpan.Zero && !options.RequireStableSize)
        {
            // The second listing within this poll, so a new file is not left for a whole poll interval.
            // (+50 ms: a timer may fire a little before the wall clock reaches the interval.)
            await Task.Delay(interval + TimeSpan.FromMilliseconds(50), time, cancellationToken);
            plan = await LookAsync(session, interval, cancellationToken);
        }
        return plan;
    }

    private async Task<Plan> LookAsync(IRemoteFileSession session, TimeSpan interval, CancellationToken cancellationToken)
    {
        var listing = await session.ListAsync(options.RemotePath, cancellationToken);
        var now = settings.Context.Time.GetUtcNow();
        (_ignored ??= new IgnoredNames(settings, _logger, _rules)).Observe(listing.Where(f => FileSystemName.MatchesSimpleExpression(options.Mask, f.Name, ignoreCase: true)).Select(f => f.Name));
        var items = new List<WorkItem>();
        var deferred = 0;
        var names = listing.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var eligible = listing
            .Where(f => f.Name.StartsWith(_claimPrefix, StringComparison.Ordinal)
                || (!_rules.IsIgnored(f.Name) && FileSystemName.MatchesSimpleExpression(options.Mask, f.Name, ignoreCase: true)
                    && (_rules.MarkerFor(f.Name) is not { } marker || names.Contains(marker))))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        // Our own claims too: an upload still open when a claim was left behind keeps growing under the claim name.
        var stable = _looks.Observe(eligible.Select(f => (f.Name, f.Size, f.LastWriteUtc)), now, interval);
        foreach (var file in eligible)
        {
            var claimed = file.Name.StartsWith(_claimPrefix, StringComparison.Ordinal);
            if (stable.Contains(file.Name) && (claimed || now - file.LastWriteUtc >= options.MinimumAge))
            {
                _looks.TryGet(file.Name, out var look);
                items.Add(claimed
                    // Ours from an interrupted poll: the sink may or may not have it; hand it over again (dedup'd there).
                    ? new WorkItem(file.Name[_claimPrefix.Length..], file.Name, AlreadyClaimed: true, look)
                    : new WorkItem(file.Name, _claimPrefix + file.Name, AlreadyClaimed: false, look));
            }
            else
            {
                deferred++;
            }
        }
        return new Plan(items, deferred);
    }

    private async Task<bool> PickUpAsync(IRemoteFileSession session, WorkItem item, IInboundSink sink, CancellationToken cancellationToken)
    {
        var claimPath = RemoteFileOptions.Combine(options.RemotePath, item.ClaimName);
        if (!item.AlreadyClaimed)
        {
            try
            {
                await session.RenameAsync(RemoteFileOptions.Combine(options.RemotePath, item.OriginalName), claimPath, overwrite: false, cancellationToken);
            }
            catch (RemoteFileException ex) when (ex.Failure is RemoteFailure.NotFound or RemoteFailure.Refused)
            {
                // Another instance claimed it first (or the partner removed it): not ours to take.
                _logger.LogDebug("Partner {Partner} channel {Channel}: {File} was taken by someone else", settings.Partner, settings.Channel, PartnerText.Escape(item.OriginalName));
                return false;
            }
        }
        var headers = new Dictionary<string, string> { ["remote-path"] = options.RemotePath };
        try
        {
            // A byte count other than the size both listings agreed on fails the read: the store commits nothing.
            await using (var content = new CheckedReadStream(await session.OpenReadAsync(claimPath, cancellationToken), item.Look.Size, PartnerText.Escape(item.OriginalName)))
            {
                await sink.AcceptAsync(new InboundOrigin(settings.Partner, settings.Channel, item.OriginalName, headers), content, cancellationToken);
            }
            // Stored: one more look right before removing, so a writer that resumed (its handle follows the claim
            // rename) never writes into a deleted file; the claim is then taken again once it is stable.
            var now = await session.StatAsync(claimPath, cancellationToken);
            if (now.Size != item.Look.Size || now.LastWriteUtc != item.Look.LastWriteUtc)
            {
                throw new SourceChangedException($"{PartnerText.Escape(item.OriginalName)} changed after it was stored (now {now.Size} bytes, {item.Look.Size} stored): left for a later poll");
            }
        }
        catch (SourceChangedException ex)
        {
            _logger.LogWarning("Partner {Partner} channel {Channel}: {Error}", settings.Partner, settings.Channel, PartnerText.Escape(ex.Message));
            return false;
        }
        await RemoveAsync(session, claimPath, item.OriginalName, cancellationToken);
        await RemoveMarkerAsync(session, item.OriginalName, cancellationToken);
        return true;
    }

    /// <summary>After the file is stored and removed: a marker left behind would wait for a file that never comes.</summary>
    private async Task RemoveMarkerAsync(IRemoteFileSession session, string originalName, CancellationToken cancellationToken)
    {
        if (_rules.MarkerFor(originalName) is not { } marker)
        {
            return;
        }
        try
        {
            await session.DeleteAsync(RemoteFileOptions.Combine(options.RemotePath, marker), cancellationToken);
        }
        catch (RemoteFileException ex)
        {
            // Stored already (and gone from the folder): not a failed pick-up to retry. A leftover marker matches no
            // file, so it does no harm; a lost connection shows again on the next operation.
            _logger.LogWarning("Partner {Partner} channel {Channel}: {File} stored, but its marker cannot be removed: {Error}",
                settings.Partner, settings.Channel, PartnerText.Escape(originalName), PartnerText.Escape(ex.Message));
        }
    }

    private async Task RemoveAsync(IRemoteFileSession session, string claimPath, string originalName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.ArchivePath))
        {
            await session.DeleteAsync(claimPath, cancellationToken);
            return;
        }
        if (!_archiveReady)
        {
            await session.EnsureFolderAsync(options.ArchivePath, cancellationToken);
            _archiveReady = true;
        }
        await session.RenameAsync(claimPath, RemoteFileOptions.Combine(options.ArchivePath, originalName), overwrite: true, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
