namespace CrossBorderHub.Core.Storage;

/// <summary>
/// Content-addressed payload store. <see cref="PutAsync"/> returns only once the bytes are durable: flushed to disk
/// (fsync), or, for a payload the store keeps in its own rows, committed so that they reach the disk no later than
/// the store's next durable commit, which is the commit of the row that names them (docs/reliability.md,
/// "Which commits wait for the disk"). Either way a message row that names a hash finds its bytes after a crash.
/// </summary>
public interface IBlobStore
{
    Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// The payloads of one intake batch, each opened by its function. Every item succeeds or fails on its own (a
    /// source that vanished or changed while it was read); a failure of the store itself throws. When this returns,
    /// every stored item is as durable as <see cref="PutAsync"/> makes it. A store that can write a batch's small
    /// payloads in one commit overrides this; by default the items are put side by side, so their flushes overlap.
    /// </summary>
    async Task<BlobPut[]> PutManyAsync(IReadOnlyList<Func<Stream>> contents, CancellationToken cancellationToken)
    {
        var results = new BlobPut[contents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, contents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = BlobPut.Parallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    await using var content = contents[i]();
                    results[i] = new BlobPut(await PutAsync(content, token), null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    results[i] = new BlobPut(null, ex);
                }
            });
        return results;
    }

    Stream OpenRead(string sha256);

    bool Exists(string sha256);

    /// <summary>Removes a blob no row refers to any more (retention); false when it was not there.</summary>
    bool Delete(string sha256);
}

/// <summary>Lower-case hex SHA-256 of the content and its length in bytes.</summary>
public sealed record BlobInfo(string Sha256, long Length);

/// <summary>One item of <see cref="IBlobStore.PutManyAsync"/>: the blob, or why this item was not stored.</summary>
public readonly record struct BlobPut(BlobInfo? Blob, Exception? Error)
{
    /// <summary>Concurrent writes of a batch: enough to keep the disk's queue busy while one waits for its flush.</summary>
    public const int Parallelism = 8;
}
