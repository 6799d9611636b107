using System.Buffers;
using System.Data.Common;
using System.Security.Cryptography;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// The default payload store (Hub:Blobs:Provider = File): a payload of at most <see cref="InlineLimit"/> bytes is a
/// row of the message store (hub_blobs + one hub_blob_chunks row under its own hash), a larger one a file of
/// <see cref="FileBlobStore"/>. Why: a freight forwarder's batch is thousands of interchanges of a few hundred bytes,
/// and as files each cost a file creation, its fsync and its folder's fsync. As rows, the small payloads of a whole
/// intake batch are one commit on the pipeline's deferred connection (no flush of its own), made durable by the
/// batch's row commit right after it: one flush for the batch, the same promise (<see cref="IBlobStore"/>).
/// </summary>
public sealed class TieredBlobStore(SqlDialect dialect, FileBlobStore files, TimeProvider time) : IBlobStore, IBlobHousekeeping
{
    /// <summary>Payloads up to this size are kept in the store; EDIFACT interchanges and certificates mostly are.</summary>
    public const int InlineLimit = 64 * 1024;

    private readonly RecentBlobs _recent = new(16 * 1024 * 1024);

    public FileBlobStore Files => files;

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        var (small, large) = await ReadHeadAsync(content, cancellationToken);
        if (small is null)
        {
            return await files.PutAsync(large!, cancellationToken);
        }
        await WriteInlineAsync([small], cancellationToken);
        return small.Info;
    }

    public async Task<BlobPut[]> PutManyAsync(IReadOnlyList<Func<Stream>> contents, CancellationToken cancellationToken)
    {
        var results = new BlobPut[contents.Count];
        var inline = new Inline?[contents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, contents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = BlobPut.Parallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    await using var content = contents[i]();
                    var (small, large) = await ReadHeadAsync(content, token);
                    if (small is null)
                    {
                        results[i] = new BlobPut(await files.PutAsync(large!, token), null);
                    }
                    else
                    {
                        inline[i] = small;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    results[i] = new BlobPut(null, ex);
                }
            });
        var read = inline.OfType<Inline>().ToList();
        if (read.Count > 0)
        {
            // A store fault throws for the whole batch: the intake then leaves every source for the next poll.
            await WriteInlineAsync(read, cancellationToken);
        }
        for (var i = 0; i < inline.Length; i++)
        {
            if (inline[i] is { } small)
            {
                results[i] = new BlobPut(small.Info, null);
            }
        }
        return results;
    }

    public Stream OpenRead(string sha256)
    {
        var path = files.PathOf(sha256); // validates the name first
        if (_recent.TryGet(sha256, out var cached))
        {
            return new MemoryStream(cached, writable: false);
        }
        if (!File.Exists(path) && ReadInline(sha256) is { } stored)
        {
            if (StoreBatch.Current(dialect) is null)
            {
                _recent.Add(sha256, stored); // committed: a batch's own rows are not, until it ends
            }
            return new MemoryStream(stored, writable: false);
        }
        return files.OpenRead(sha256);
    }

    public bool Exists(string sha256)
    {
        var path = files.PathOf(sha256);
        return _recent.Contains(sha256) || File.Exists(path) || ReadInline(sha256) is not null;
    }

    public bool Delete(string sha256)
    {
        files.PathOf(sha256);
        _recent.Remove(sha256);
        using var connection = dialect.CreateDeferredConnection();
        using var transaction = connection.BeginTransaction();
        var rows = connection.Execute("DELETE FROM hub_blobs WHERE sha256 = @Sha AND upload_key = @Sha", new { Sha = sha256 }, transaction);
        connection.Execute("DELETE FROM hub_blob_chunks WHERE upload_key = @Sha", new { Sha = sha256 }, transaction);
        transaction.Commit();
        return files.Delete(sha256) | rows > 0;
    }

    public string IncomingFolder => files.IncomingFolder;

    public OrphanSweep SweepOrphans(TimeSpan minimumAge, DateTimeOffset now) => files.SweepOrphans(minimumAge, now);

    public (int Present, int Orphans) CountIncoming(TimeSpan minimumAge, DateTimeOffset now) => files.CountIncoming(minimumAge, now);

    /// <summary>Reads up to one byte past the limit: a payload that ends within it is small, any other goes on whole as a stream.</summary>
    private static async Task<(Inline? Small, Stream? Large)> ReadHeadAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InlineLimit + 1);
        try
        {
            var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, InlineLimit + 1), InlineLimit + 1, throwOnEndOfStream: false, cancellationToken);
            var head = buffer.AsSpan(0, read).ToArray();
            return read <= InlineLimit
                ? (new Inline(new BlobInfo(Convert.ToHexStringLower(SHA256.HashData(head)), read), head), null)
                : (null, new PrefixedStream(head, content));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteInlineAsync(IReadOnlyList<Inline> items, CancellationToken cancellationToken)
    {
        var now = Time.To(time.GetUtcNow());
        // Inside a pipeline batch the rows commit (or roll back) with it: only committed rows may be remembered.
        var committedHere = StoreBatch.Current(dialect) is null;
        try
        {
            await using var work = await Work.WriteAsync(dialect, cancellationToken);
            foreach (var item in items.DistinctBy(i => i.Info.Sha256))
            {
                var row = new { Sha = item.Info.Sha256, item.Info.Length, Size = InlineLimit, Bytes = item.Content, Now = now };
                await work.Connection.ExecuteAsync(new CommandDefinition(dialect.InsertInlineBlobChunkSql, row, work.Transaction, cancellationToken: cancellationToken));
                await work.Connection.ExecuteAsync(new CommandDefinition(dialect.InsertInlineBlobSql, row, work.Transaction, cancellationToken: cancellationToken));
            }
            await work.CommitAsync(cancellationToken);
        }
        catch (DbException ex) when (IsDiskFull(ex))
        {
            // The same condition as a blob file that does not fit: the intake pauses and keeps every source.
            throw new IOException($"No space left on device for payload rows in the {dialect.Name} store: {ex.Message}", 28);
        }
        if (committedHere)
        {
            foreach (var item in items)
            {
                _recent.Add(item.Info.Sha256, item.Content);
            }
        }
    }

    private static bool IsDiskFull(DbException exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 /* SQLITE_FULL */ } || exception.SqlState == "53100" /* PostgreSQL disk_full */;

    private byte[]? ReadInline(string sha256)
    {
        // Through the pipeline batch when there is one: a payload it wrote is found before it commits.
        var work = Work.Read(dialect);
        try
        {
            return work.Connection.QueryFirstOrDefault<byte[]>(
                "SELECT c.bytes FROM hub_blobs b JOIN hub_blob_chunks c ON c.upload_key = b.upload_key AND c.chunk_no = 0 WHERE b.sha256 = @Sha AND b.upload_key = @Sha",
                new { Sha = sha256 }, work.Transaction);
        }
        finally
        {
            work.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed record Inline(BlobInfo Info, byte[] Content);
}
