using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.Folder;

/// <summary>
/// Picks up files from a local folder. A file is removed (or archived) only after the sink has stored it durably;
/// files newer than <see cref="FolderChannelOptions.MinimumAge"/> and names starting with '.' (temporary) wait.
/// </summary>
internal sealed class FolderInboundChannel(ChannelSettings settings, FolderChannelOptions options) : IInboundChannel
{
    private readonly string _folder = settings.Context.ResolvePath(options.Path);
    private readonly string? _archive = string.IsNullOrWhiteSpace(options.ArchivePath) ? null : settings.Context.ResolvePath(options.ArchivePath);
    private readonly ILogger _logger = settings.Context.LoggerFactory.CreateLogger<FolderInboundChannel>();

    public async Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var now = settings.Context.Time.GetUtcNow();
        int accepted = 0, deferred = 0, failed = 0;
        foreach (var path in Directory.EnumerateFiles(_folder, options.Mask).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Name.StartsWith('.') || now - info.LastWriteTimeUtc < options.MinimumAge)
            {
                deferred++;
                continue;
            }
            try
            {
                await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
                {
                    await sink.AcceptAsync(new InboundOrigin(settings.Partner, settings.Channel, info.Name), stream, cancellationToken);
                }
                RemoveSource(path, info.Name);
                accepted++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (IOException ex)
            {
                // Locked by the writer or vanished: leave it for the next poll; the other files keep flowing.
                _logger.LogWarning("Partner {Partner} channel {Channel}: cannot pick up {File} yet: {Error}", settings.Partner, settings.Channel, path, ex.Message);
                failed++;
            }
            catch (UnauthorizedAccessException ex)
            {
                _logger.LogError("Partner {Partner} channel {Channel}: permission denied on {File}: {Error}", settings.Partner, settings.Channel, path, ex.Message);
                failed++;
            }
        }
        return new PollResult(accepted, deferred, failed);
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
