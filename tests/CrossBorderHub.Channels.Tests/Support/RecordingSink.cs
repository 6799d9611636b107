using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CrossBorderHub.Channels.Tests.Support;

/// <summary>
/// A store stub that behaves like the real one where it matters: it writes the bytes to a file (fsynced) before it
/// returns, and recognises the same content from the same channel as a duplicate. Optionally fails on demand.
/// </summary>
public sealed class RecordingSink : IInboundSink
{
    private readonly ConcurrentDictionary<string, string> _byHash = new();
    private readonly ConcurrentQueue<InboundOrigin> _calls = new();
    private readonly string _folder;
    private int _sequence;

    public RecordingSink(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>When set, AcceptAsync reads the stream and then throws it (a store that fails after reading).</summary>
    public Func<InboundOrigin, Exception?>? FailWith { get; set; }

    /// <summary>Called before the sink returns, while the source still holds the item.</summary>
    public Func<InboundOrigin, Task>? OnAccept { get; set; }

    /// <summary>Every call, duplicates included.</summary>
    public IReadOnlyList<InboundOrigin> Calls => [.. _calls];

    /// <summary>Stored (non-duplicate) items: remote name -> content.</summary>
    public Dictionary<string, byte[]> Stored() =>
        Directory.EnumerateFiles(_folder, "*.bin").ToDictionary(f => File.ReadAllText(f + ".name"), File.ReadAllBytes);

    public int StoredCount => _byHash.Count;

    public async Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken)
    {
        _calls.Enqueue(origin);
        var id = Interlocked.Increment(ref _sequence);
        // Named by sequence, never by the remote name: a hostile name cannot choose where we write.
        var path = Path.Combine(_folder, $"{id:D8}.bin");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            file.Flush(flushToDisk: true);
        }
        var failure = FailWith?.Invoke(origin);
        if (failure is not null)
        {
            File.Delete(path + ".tmp");
            throw failure;
        }
        if (OnAccept is not null)
        {
            await OnAccept(origin);
        }
        var key = origin.Channel + ":" + Convert.ToHexString(hash.GetHashAndReset());
        if (!_byHash.TryAdd(key, path))
        {
            File.Delete(path + ".tmp");
            return new AcceptResult(_byHash[key], IsDuplicate: true);
        }
        await File.WriteAllTextAsync(path + ".name", origin.RemoteName, cancellationToken);
        File.Move(path + ".tmp", path);
        return new AcceptResult(path, IsDuplicate: false);
    }
}
