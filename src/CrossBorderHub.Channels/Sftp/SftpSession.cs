using System.Net.Sockets;
using CrossBorderHub.Channels.RemoteFiles;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace CrossBorderHub.Channels.Sftp;

/// <summary>One connected SSH.NET client behind <see cref="IRemoteFileSession"/>; translates its exceptions.</summary>
internal sealed class SftpSession(SftpClient client) : IRemoteFileSession
{
    public bool SupportsConcurrentOperations => true;

    public Task<IReadOnlyList<RemoteFile>> ListAsync(string folder, CancellationToken cancellationToken) =>
        Run(folder, async () =>
        {
            var files = new List<RemoteFile>();
            await foreach (var entry in client.ListDirectoryAsync(folder, cancellationToken))
            {
                if (entry.IsRegularFile)
                {
                    files.Add(new RemoteFile(entry.Name, entry.Length, new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero)));
                }
            }
            return (IReadOnlyList<RemoteFile>)files;
        });

    public Task<RemoteFile> StatAsync(string path, CancellationToken cancellationToken) =>
        Run(path, async () =>
        {
            var attributes = await client.GetAttributesAsync(path, cancellationToken);
            return new RemoteFile(path, attributes.Size, new DateTimeOffset(attributes.LastWriteTimeUtc, TimeSpan.Zero));
        });

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        Run(path, async () => (Stream)new SftpReadStream(await client.OpenAsync(path, FileMode.Open, FileAccess.Read, cancellationToken), path));

    public Task UploadAsync(Stream content, string path, CancellationToken cancellationToken) =>
        Run(path, async () =>
        {
            await client.UploadFileAsync(content, path, true, null, cancellationToken);
            return true;
        });

    public Task RenameAsync(string from, string to, bool overwrite, CancellationToken cancellationToken) =>
        Run(from, async () =>
        {
            if (overwrite)
            {
                // posix-rename@openssh.com replaces the target atomically; plain SSH_FXP_RENAME refuses an existing one.
                await Task.Run(() => client.RenameFile(from, to, isPosix: true), cancellationToken);
            }
            else
            {
                await client.RenameFileAsync(from, to, cancellationToken);
            }
            return true;
        });

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        Run(path, async () =>
        {
            await client.DeleteFileAsync(path, cancellationToken);
            return true;
        });

    public Task EnsureFolderAsync(string path, CancellationToken cancellationToken) =>
        Run(path, async () =>
        {
            if (!await client.ExistsAsync(path, cancellationToken))
            {
                await client.CreateDirectoryAsync(path, cancellationToken);
            }
            return true;
        });

    private static async Task<T> Run<T>(string path, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (Translate(ex, path) is { } translated)
        {
            throw translated;
        }
    }

    internal static RemoteFileException? Translate(Exception ex, string path) => ex switch
    {
        RemoteFileException => null,
        SftpPermissionDeniedException => new RemoteFileException(RemoteFailure.PermissionDenied, $"{path}: {ex.Message}", ex),
        SftpPathNotFoundException => new RemoteFileException(RemoteFailure.NotFound, $"{path}: {ex.Message}", ex),
        SftpException => new RemoteFileException(RemoteFailure.Refused, $"{path}: {ex.Message}", ex),
        SshConnectionException or SshOperationTimeoutException or SocketException or ObjectDisposedException or IOException or SshException =>
            new RemoteFileException(RemoteFailure.Connection, $"{path}: {ex.Message}", ex),
        _ => null,
    };

    public ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException or IOException)
        {
            // Already gone: nothing to close.
        }
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Read-only wrapper that reports a dropped connection mid-read as <see cref="RemoteFileException"/>.</summary>
internal sealed class SftpReadStream(Stream inner, string path) : ReadOnlyWrapperStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return Inner.Read(buffer, offset, count);
        }
        catch (Exception ex) when (SftpSession.Translate(ex, path) is { } translated)
        {
            throw translated;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (SftpSession.Translate(ex, path) is { } translated)
        {
            throw translated;
        }
    }

    protected override void DisposeInner()
    {
        try
        {
            Inner.Dispose();
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException or IOException)
        {
            // Closing a handle on a dead connection: nothing to do.
        }
    }
}
