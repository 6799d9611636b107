using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.RemoteFiles;

/// <summary>
/// Delivers into a remote folder (SFTP or FTP): uploads to TempPrefix + name, then renames over the final,
/// deterministic name (<see cref="SafeFileName"/> of the document's file name), so the partner never reads a
/// partial file and a retried attempt replaces instead of duplicating. One connection is kept and reused across
/// sends; any failure drops it, and the next send reconnects with backoff.
/// </summary>
internal sealed class RemoteOutboundChannel(
    ChannelSettings settings, RemoteFileOptions options, IRemoteFileConnector connector) : IOutboundChannel
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IRemoteFileSession? _session;

    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        var name = SafeFileName.From(document.FileName);
        var target = RemoteFileOptions.Combine(options.RemotePath, name);
        var temporary = RemoteFileOptions.Combine(options.RemotePath, options.TempPrefix + name);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _session ??= await RemoteConnection.ConnectAsync(connector, options, settings.Context.Time, cancellationToken);
            await using (var content = await document.OpenContent(cancellationToken))
            {
                await _session.UploadAsync(content, temporary, cancellationToken);
            }
            await _session.RenameAsync(temporary, target, overwrite: true, cancellationToken);
            return SendResult.Delivered($"{connector.Describe}/{target}");
        }
        catch (RemoteFileException ex)
        {
            if (ex.Failure is RemoteFailure.Refused && _session is not null)
            {
                // A full disk: do not leave our partial temporary file eating the partner's space until the retry.
                try
                {
                    await _session.DeleteAsync(temporary, cancellationToken);
                }
                catch (RemoteFileException)
                {
                    // Best effort: the retry overwrites it anyway.
                }
            }
            await DropSessionAsync();
            // Every remote failure is retryable: a wrong password or a full disk is fixed by an operator, not by
            // rejecting the document.
            return SendResult.RetryLater(RemoteConnection.Describe(settings, connector, ex));
        }
        catch
        {
            // Cancelled or a bug mid-transfer: the session is in an unknown state, start clean next time.
            await DropSessionAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropSessionAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropSessionAsync();
        _gate.Dispose();
    }
}
