using CrossBorderHub.Channels.InMemory;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.InMemory;

public sealed class InMemoryInboundContract : InboundChannelContract
{
    private readonly InMemoryChannelFactory _factory = new();
    private string _queue = "";

    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        _queue = "in-" + Guid.NewGuid().ToString("N");
        return Task.FromResult(_factory.CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Queue"] = _queue }, Path.GetTempPath())));
    }

    protected override Task DropAsync(string name, byte[] content)
    {
        _factory.Queue(_queue).Put(name, content);
        return Task.CompletedTask;
    }

    protected override Task<int> CountAtSourceAsync() => Task.FromResult(_factory.Queue(_queue).Snapshot().Count);
}

public sealed class InMemoryOutboundContract : OutboundChannelContract
{
    private readonly InMemoryChannelFactory _factory = new();
    private string _queue = "";

    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        _queue = "out-" + Guid.NewGuid().ToString("N");
        return Task.FromResult(_factory.CreateOutbound(TestChannels.Settings("TH", "Outbound",
            new Dictionary<string, string?> { ["Queue"] = _queue }, Path.GetTempPath())));
    }

    protected override Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>>(_factory.Queue(_queue).Snapshot().ToDictionary(kv => kv.Key, kv => kv.Value));
}
