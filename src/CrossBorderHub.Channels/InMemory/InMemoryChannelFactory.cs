using System.Collections.Concurrent;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.InMemory;

/// <summary>
/// Type = "memory": a named in-process queue. For tests and for wiring two parts of one hub together;
/// its content is lost when the process stops, so never use it for a real partner. The queues belong to the factory
/// (a singleton of the hub's container), not to a static: two hubs in one process never share them.
/// </summary>
public sealed class InMemoryChannelFactory : IChannelFactory
{
    private readonly ConcurrentDictionary<string, InMemoryQueue> _queues = new(StringComparer.OrdinalIgnoreCase);

    public string Type => "memory";

    /// <summary>The queue behind a name, shared by every channel of this factory that names it.</summary>
    public InMemoryQueue Queue(string name) => _queues.GetOrAdd(name, _ => new InMemoryQueue());

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(settings.Section["Queue"]))
        {
            errors.Add($"{settings.Section.Path}:Queue is empty: name the in-memory queue.");
        }
    }

    public IInboundChannel CreateInbound(ChannelSettings settings) => new InMemoryInboundChannel(settings, Queue(settings.Section["Queue"]!));

    public IOutboundChannel CreateOutbound(ChannelSettings settings) => new InMemoryOutboundChannel(Queue(settings.Section["Queue"]!));
}

/// <summary>Named documents in arrival order; a name written twice replaces the first (as a folder would).</summary>
public sealed class InMemoryQueue
{
    private readonly ConcurrentDictionary<string, byte[]> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Put(string name, byte[] content)
    {
        if (_items.TryAdd(name, content))
        {
            _order.Enqueue(name);
        }
        else
        {
            _items[name] = content;
        }
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Snapshot() =>
        _order.Where(_items.ContainsKey).Select(n => new KeyValuePair<string, byte[]>(n, _items[n])).ToList();

    public bool Remove(string name) => _items.TryRemove(name, out _);
}

internal sealed class InMemoryInboundChannel(ChannelSettings settings, InMemoryQueue queue) : IInboundChannel
{
    public async Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        var accepted = 0;
        foreach (var (name, content) in queue.Snapshot())
        {
            using var stream = new MemoryStream(content, writable: false);
            await sink.AcceptAsync(new InboundOrigin(settings.Partner, settings.Channel, name), stream, cancellationToken);
            queue.Remove(name);
            accepted++;
        }
        return new PollResult(accepted, 0, 0);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class InMemoryOutboundChannel(InMemoryQueue queue) : IOutboundChannel
{
    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        await using var content = await document.OpenContent(cancellationToken);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        // The same naming rule as a folder: a hostile name cannot pick another queue entry's path.
        queue.Put(SafeFileName.From(document.FileName), buffer.ToArray());
        return SendResult.Delivered();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
