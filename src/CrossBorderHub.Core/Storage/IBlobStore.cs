namespace CrossBorderHub.Core.Storage;

/// <summary>
/// Content-addressed payload store. <see cref="PutAsync"/> returns only after the bytes are flushed to disk
/// (fsync), so a message row that names a hash always finds its bytes after a crash.
/// </summary>
public interface IBlobStore
{
    Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken);

    Stream OpenRead(string sha256);

    bool Exists(string sha256);
}

/// <summary>Lower-case hex SHA-256 of the content and its length in bytes.</summary>
public sealed record BlobInfo(string Sha256, long Length);
