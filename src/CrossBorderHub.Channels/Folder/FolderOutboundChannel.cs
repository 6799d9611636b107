using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.Folder;

/// <summary>
/// Delivers into a local folder: writes a hidden temporary file, flushes it to disk, then renames it to the
/// deterministic name, so a reader never sees a partial file and a retried attempt replaces rather than duplicates.
/// </summary>
internal sealed class FolderOutboundChannel(ChannelSettings settings, FolderChannelOptions options) : IOutboundChannel
{
    // Each send writes its own temporary file and renames it: independent, so several may run at once.
    public int ConcurrentSends => 8;

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
            // Unbuffered: CopyToAsync writes in chunks of its own (a small payload in one write), no 80 KiB buffer per file.
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            return SendResult.Delivered(target);
        }
        catch (UnauthorizedAccessException ex)
        {
            DeleteTemporary(temporary);
            return SendResult.RetryLater($"permission denied writing to {_folder}: {ex.Message}");
        }
        catch (IOException ex)
        {
            DeleteTemporary(temporary);
            return SendResult.RetryLater($"cannot write to {_folder}: {ex.Message}");
        }
        catch
        {
            // Cancelled mid-copy: no half-written temporary file stays behind either.
            DeleteTemporary(temporary);
            throw;
        }
    }

    /// <summary>
    /// A failed attempt (a full disk cuts the copy) must not leave its partial temporary file: it would sit at the
    /// partner's until a retry, eating the very space that ran out, and stay forever if the delivery is dead-lettered.
    /// </summary>
    private static void DeleteTemporary(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort (a read-only target never had one); the retry overwrites it anyway.
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
