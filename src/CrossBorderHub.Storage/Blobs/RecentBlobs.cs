using System.Collections.Concurrent;

namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// The small payloads stored or read last, in memory: a message is inspected twice and delivered within a second of
/// its intake, and each of those reads would otherwise be a store round trip. Content-addressed, so an entry never
/// goes stale; bounded by total bytes, oldest out first.
/// </summary>
internal sealed class RecentBlobs(long maxBytes)
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _bytes;

    public bool TryGet(string sha256, out byte[] content) => _entries.TryGetValue(sha256, out content!);

    public bool Contains(string sha256) => _entries.ContainsKey(sha256);

    public void Add(string sha256, byte[] content)
    {
        if (content.Length > maxBytes || !_entries.TryAdd(sha256, content))
        {
            return;
        }
        _order.Enqueue(sha256);
        // Over the bound: drop the oldest until it fits again. A concurrent Add may drop one more than needed: harmless.
        for (var total = Interlocked.Add(ref _bytes, content.Length); total > maxBytes && _order.TryDequeue(out var oldest);)
        {
            total = _entries.TryRemove(oldest, out var dropped) ? Interlocked.Add(ref _bytes, -dropped.Length) : Interlocked.Read(ref _bytes);
        }
    }

    public void Remove(string sha256)
    {
        if (_entries.TryRemove(sha256, out var dropped))
        {
            Interlocked.Add(ref _bytes, -dropped.Length);
        }
    }
}
