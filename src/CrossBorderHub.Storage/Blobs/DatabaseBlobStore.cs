using System.Security.Cryptography;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// Payloads in the shared database (Hub:Blobs:Provider = Postgres), so that instances need no shared volume. Content
/// is cut into rows of <see cref="ChunkSize"/> bytes under a key of the upload, hashed as it goes, and named by its
/// SHA-256 in hub_blobs in the same transaction: the commit is the durability point (as the fsync is for files), and a
/// writer killed half-way leaves nothing, because its transaction dies with its connection. The same content twice is
/// one blob: the second upload is rolled back. Memory per upload is one chunk, whatever the payload's size.
/// </summary>
public sealed class DatabaseBlobStore(SqlDialect dialect, TimeProvider time, int chunkSize = DatabaseBlobStore.ChunkSize) : IBlobStore, IBlobHousekeeping
{
    public const int ChunkSize = 1024 * 1024;

    public string IncomingFolder => $"hub_blob_chunks ({dialect.Name})";

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        var upload = Guid.NewGuid().ToString("N");
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[chunkSize];
        long length = 0;
        var now = Time.To(time.GetUtcNow());
        for (var chunk = 0; ; chunk++)
        {
            var filled = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (filled == 0 && chunk > 0)
            {
                break;
            }
            hash.AppendData(buffer, 0, filled);
            length += filled;
            // Dapper sends a whole array: the last, shorter chunk goes as a copy of its bytes.
            var bytes = filled == buffer.Length ? buffer : buffer[..filled];
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_blob_chunks (upload_key, chunk_no, written_at, bytes) VALUES (@Upload, @Chunk, @Now, @Bytes)",
                new { Upload = upload, Chunk = chunk, Now = now, Bytes = bytes }, transaction, cancellationToken: cancellationToken));
            if (filled < buffer.Length)
            {
                break;
            }
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var info = new BlobInfo(sha, length);
        var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM hub_blobs WHERE sha256 = @Sha", new { Sha = sha }, transaction, cancellationToken: cancellationToken));
        if (known > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return info;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_blobs (sha256, length, chunk_size, upload_key, created_at) VALUES (@Sha, @Length, @Size, @Upload, @Now)",
                new { Sha = sha, Length = length, Size = chunkSize, Upload = upload, Now = now }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException) when (Exists(sha))
        {
            // Another instance stored the same content between our check and our insert: theirs is the blob.
        }
        return info;
    }

    public Stream OpenRead(string sha256)
    {
        Validate(sha256);
        using var connection = dialect.CreateConnection();
        var blob = connection.QueryFirstOrDefault<BlobRow>(
            "SELECT length AS Length, chunk_size AS ChunkSize, upload_key AS UploadKey FROM hub_blobs WHERE sha256 = @Sha", new { Sha = sha256 })
            ?? throw new FileNotFoundException($"blob {sha256} is not in {IncomingFolder.Replace("_chunks", "s", StringComparison.Ordinal)}");
        return new DatabaseBlobStream(dialect, blob.UploadKey, blob.Length, (int)blob.ChunkSize);
    }

    public bool Exists(string sha256)
    {
        Validate(sha256);
        using var connection = dialect.CreateConnection();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hub_blobs WHERE sha256 = @Sha", new { Sha = sha256 }) > 0;
    }

    /// <summary>Removes a blob no row refers to any more (retention), its chunks with it; false when it was not there.</summary>
    public bool Delete(string sha256)
    {
        Validate(sha256);
        using var connection = dialect.CreateConnection();
        using var transaction = connection.BeginTransaction();
        var upload = connection.QueryFirstOrDefault<string>("SELECT upload_key FROM hub_blobs WHERE sha256 = @Sha", new { Sha = sha256 }, transaction);
        if (upload is null)
        {
            return false;
        }
        connection.Execute("DELETE FROM hub_blobs WHERE sha256 = @Sha", new { Sha = sha256 }, transaction);
        connection.Execute("DELETE FROM hub_blob_chunks WHERE upload_key = @Upload", new { Upload = upload }, transaction);
        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Chunk rows no blob names, older than <paramref name="minimumAge"/>. A killed writer's rows vanish with its
    /// transaction, so these come only from outside the hub (a partial restore, a manual delete of hub_blobs rows).
    /// Rows of an upload in progress are invisible to other transactions until it commits, so they are never taken.
    /// </summary>
    public OrphanSweep SweepOrphans(TimeSpan minimumAge, DateTimeOffset now)
    {
        using var connection = dialect.CreateConnection();
        var cutoff = Time.To(now - minimumAge);
        var (count, bytes) = connection.QueryFirst<(long, long)>(
            $"SELECT COUNT(*), COALESCE(SUM({LengthOf("c.bytes")}), 0) FROM hub_blob_chunks c WHERE {Orphan}", new { Cutoff = cutoff });
        if (count == 0)
        {
            return default;
        }
        var removed = connection.Execute($"DELETE FROM hub_blob_chunks WHERE upload_key IN (SELECT c.upload_key FROM hub_blob_chunks c WHERE {Orphan})", new { Cutoff = cutoff });
        return new OrphanSweep(removed, bytes, 0);
    }

    public (int Present, int Orphans) CountIncoming(TimeSpan minimumAge, DateTimeOffset now)
    {
        using var connection = dialect.CreateConnection();
        var (present, orphans) = connection.QueryFirst<(long, long)>(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.written_at < @Cutoff THEN 1 ELSE 0 END), 0) FROM hub_blob_chunks c WHERE NOT EXISTS (SELECT 1 FROM hub_blobs b WHERE b.upload_key = c.upload_key)",
            new { Cutoff = Time.To(now - minimumAge) });
        return ((int)present, (int)orphans);
    }

    private const string Orphan = "c.written_at < @Cutoff AND NOT EXISTS (SELECT 1 FROM hub_blobs b WHERE b.upload_key = c.upload_key)";

    private string LengthOf(string column) => dialect.Name switch
    {
        "Postgres" => $"octet_length({column})",
        "SqlServer" => $"DATALENGTH({column})",
        _ => $"length({column})",
    };

    private static void Validate(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256 hex string", nameof(sha256));
        }
    }

    private sealed record BlobRow(long Length, long ChunkSize, string UploadKey);
}
