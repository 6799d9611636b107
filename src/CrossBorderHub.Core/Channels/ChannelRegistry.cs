using System.Collections.Concurrent;
using CrossBorderHub.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Core.Channels;

/// <summary>
/// The partners' channels, built from configuration by the transport factories. Outbound channels are created once
/// and reused (an SFTP or AMQP connection is worth keeping); inbound channels belong to their poll job.
/// </summary>
public sealed class ChannelRegistry : IAsyncDisposable
{
    public const string InboundChannelName = "inbound";
    public const string OutboundChannelName = "outbound";

    private readonly Dictionary<string, IChannelFactory> _factories;
    private readonly HubOptions _options;
    private readonly ChannelContext _context;
    private readonly ConcurrentDictionary<string, Lazy<IOutboundChannel>> _outbound = new(StringComparer.OrdinalIgnoreCase);

    public ChannelRegistry(IEnumerable<IChannelFactory> factories, HubOptions options, ChannelContext context)
    {
        _factories = factories.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);
        _options = options;
        _context = context;
    }

    public IReadOnlyCollection<string> Types => _factories.Keys;

    /// <summary>Every partner that has an inbound section: what the scheduler polls.</summary>
    public IEnumerable<(string Partner, IConfigurationSection Section)> InboundSections =>
        _options.Partners.Where(p => p.Value.Inbound is not null).Select(p => (p.Key, p.Value.Inbound!));

    public void Validate(ICollection<string> errors)
    {
        foreach (var (partner, options) in _options.Partners)
        {
            foreach (var (section, channel) in new[] { (options.Inbound, InboundChannelName), (options.Outbound, OutboundChannelName) })
            {
                if (section is null)
                {
                    continue;
                }
                var type = section["Type"];
                if (string.IsNullOrWhiteSpace(type))
                {
                    errors.Add($"{section.Path}:Type is empty: set it to one of {string.Join(", ", _factories.Keys.Order())}.");
                    continue;
                }
                if (!_factories.TryGetValue(type, out var factory))
                {
                    errors.Add($"{section.Path}:Type '{type}' is unknown: use one of {string.Join(", ", _factories.Keys.Order())}.");
                    continue;
                }
                factory.Validate(new ChannelSettings(partner, channel, section, _context), errors);
            }
        }
    }

    public IInboundChannel CreateInbound(string partner, IConfigurationSection section) =>
        _factories[section["Type"]!].CreateInbound(new ChannelSettings(partner, InboundChannelName, section, _context));

    /// <summary>The partner's outbound channel, or null when the partner has none configured.</summary>
    public IOutboundChannel? Outbound(string partner)
    {
        if (!_options.Partners.TryGetValue(partner, out var options) || options.Outbound is not { } section)
        {
            return null;
        }
        return _outbound.GetOrAdd(partner, p => new Lazy<IOutboundChannel>(() =>
            _factories[section["Type"]!].CreateOutbound(new ChannelSettings(p, OutboundChannelName, section, _context)))).Value;
    }

    /// <summary>
    /// A new configuration version changed these partners: their outbound channels are built again from the new
    /// settings on the next delivery. The old channel is disposed a minute later, not at once, so that a delivery
    /// holding it finishes instead of failing and waiting for its retry.
    /// </summary>
    public void Forget(IEnumerable<string> partners)
    {
        foreach (var partner in partners)
        {
            if (_outbound.TryRemove(partner, out var stale) && stale.IsValueCreated)
            {
                _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => stale.Value.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _outbound.Values.Where(l => l.IsValueCreated))
        {
            await channel.Value.DisposeAsync();
        }
        _outbound.Clear();
    }
}
