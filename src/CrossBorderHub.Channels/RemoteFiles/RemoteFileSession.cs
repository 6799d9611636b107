namespace CrossBorderHub.Channels.RemoteFiles;

/// <summary>
/// The few remote-folder operations the SFTP and FTP channels need, so both share one inbound and one outbound
/// implementation (claim, store, remove; upload to a temporary name, rename) and a transport stays replaceable.
/// Implementations translate their library's exceptions into <see cref="RemoteFileException"/>.
/// </summary>
internal interface IRemoteFileSession : IAsyncDisposable
{
    /// <summary>True when several operations may be in flight at once (SFTP multiplexes requests; FTP cannot).</summary>
    bool SupportsConcurrentOperations { get; }

    Task<IReadOnlyList<RemoteFile>> ListAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Size and modification time of one file (the look before removing a source).</summary>
    Task<RemoteFile> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>A stream over the remote file; the caller disposes it before the next operation on this session.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates or truncates <paramref name="path"/> and writes <paramref name="content"/> to it.</summary>
    Task UploadAsync(Stream content, string path, CancellationToken cancellationToken);

    /// <summary>Renames; with <paramref name="overwrite"/> false it fails when the target exists (used to claim a file).</summary>
    Task RenameAsync(string from, string to, bool overwrite, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates the folder if it does not exist (archive folders).</summary>
    Task EnsureFolderAsync(string path, CancellationToken cancellationToken);
}

/// <summary>Opens sessions to one server; <see cref="Describe"/> names it in errors (never with a secret).</summary>
internal interface IRemoteFileConnector
{
    string Describe { get; }

    Task<IRemoteFileSession> ConnectAsync(CancellationToken cancellationToken);
}

/// <summary>One entry of a remote folder listing (regular files only).</summary>
internal sealed record RemoteFile(string Name, long Size, DateTimeOffset LastWriteUtc);

/// <summary>What went wrong, so the channel can tell a dropped connection (reconnect) from a refusal (report).</summary>
internal enum RemoteFailure
{
    /// <summary>Network, timeout, server gone: reconnecting may help.</summary>
    Connection,
    /// <summary>Wrong user, password or key.</summary>
    Authentication,
    /// <summary>Host key or TLS certificate not the pinned/trusted one.</summary>
    ServerIdentity,
    PermissionDenied,
    NotFound,
    /// <summary>Any other refusal by the server (disk full, quota, name clash...).</summary>
    Refused,
}

internal sealed class RemoteFileException(RemoteFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public RemoteFailure Failure { get; } = failure;
}
