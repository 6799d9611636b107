using System.Collections.Concurrent;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The inbound channel of each partner, kept between polls so an adapter can hold its connection. A singleton of the
/// host (not a static of the poll job, which Quartz creates per run): the container disposes it, and with it every
/// channel, when the host stops, after Quartz has stopped polling.
/// </summary>
internal sealed class InboundChannelCache : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IInboundChannel> _channels = new(StringComparer.OrdinalIgnoreCase);

    public IInboundChannel GetOrCreate(string partner, Func<IInboundChannel> create) => _channels.GetOrAdd(partner, _ => create());

    /// <summary>Forgets a broken channel so that the next poll connects afresh.</summary>
    public async Task DropAsync(string partner)
    {
        if (_channels.TryRemove(partner, out var broken))
        {
            await broken.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var partner in _channels.Keys)
        {
            await DropAsync(partner);
        }
    }
}
