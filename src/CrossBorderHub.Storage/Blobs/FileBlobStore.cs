using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// Payloads as files named by their SHA-256 under <c>root/ab/cd/abcd…</c>. Content is hashed while it is copied to a
/// temporary file, flushed to disk, renamed into place and the folder is synced: after <see cref="PutAsync"/> returns,
/// a power cut cannot lose the bytes. Streams of any size pass through a fixed buffer.
/// </summary>
public sealed class FileBlobStore : IBlobStore, IBlobHousekeeping
{
    private const int BufferSize = 128 * 1024;
    private readonly string _root;
    private readonly string _incoming;

    // Temporary names this process is writing now: the orphan sweep never touches them, whatever their age.
    private readonly ConcurrentDictionary<string, byte> _writing = new(StringComparer.Ordinal);

    public FileBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _incoming = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(_incoming);
    }

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        var name = Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(_incoming, name);
        _writing[name] = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            // The buffer is pooled and the file unbuffered (bufferSize 1: each chunk is one write): two fresh 128 KiB
            // arrays per payload were large-object allocations, which under a stream of small files drove gen-2 GCs.
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
                file.Flush(flushToDisk: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(sha);
            if (File.Exists(target))
            {
                File.Delete(temporary);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(temporary, target, overwrite: true);
                DirectorySync.Flush(Path.GetDirectoryName(target)!);
            }
            return new BlobInfo(sha, length);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        finally
        {
            _writing.TryRemove(name, out _);
        }
    }

    /// <summary>The folder of temporary files: a file there was being written when the process stopped, or is now.</summary>
    public string IncomingFolder => _incoming;

    /// <summary>
    /// Removes temporary files left by an intake that was killed (see <see cref="OrphanSweeper"/>): none this process
    /// is writing, none changed within <paramref name="minimumAge"/>, none another process holds open.
    /// </summary>
    public OrphanSweep SweepOrphans(TimeSpan minimumAge, DateTimeOffset now) =>
        OrphanSweeper.Sweep(_incoming, _writing.ContainsKey, minimumAge, now);

    /// <summary>Temporary files present in the incoming folder now, and how many are older than <paramref name="minimumAge"/>.</summary>
    public (int Present, int Orphans) CountIncoming(TimeSpan minimumAge, DateTimeOffset now) => OrphanSweeper.Count(_incoming, minimumAge, now);

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Removes a blob no row refers to any more (retention); false when it was not there.</summary>
    public bool Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    /// <summary>The file of a blob; the name is validated so a hash from a database row cannot point outside the store.</summary>
    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256 hex string", nameof(sha256));
        }
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is never referenced by a row; the orphan sweep removes it later.
        }
    }
}
