using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.Folder;

/// <summary>
/// Delivers into a local folder: writes a hidden temporary file, flushes it to disk, then renames it to the
/// deterministic name, so a reader never sees a partial file and a retried attempt replaces rather than duplicates.
/// </summary>
internal sealed class FolderOutboundChannel(ChannelSettings settings, FolderChannelOptions options) : IOutboundChannel
{
    private readonly string _folder = settings.Context.ResolvePath(options.Path);

    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        var name = SafeFileName.From(document.FileName);
        var target = Path.Combine(_folder, name);
        var temporary = Path.Combine(_folder, "." + name + ".part");
        try
        {
            Directory.CreateDirectory(_folder);
            await using (var content = await document.OpenContent(cancellationToken))
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            return SendResult.Delivered(target);
        }
        catch (UnauthorizedAccessException ex)
        {
            return SendResult.RetryLater($"permission denied writing to {_folder}: {ex.Message}");
        }
        catch (IOException ex)
        {
            return SendResult.RetryLater($"cannot write to {_folder}: {ex.Message}");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
