using CrossBorderHub.Channels.RabbitMq;
using CrossBorderHub.Channels.Tests.Contracts;
using RabbitMQ.Client;

namespace CrossBorderHub.Channels.Tests.RabbitMq;

/// <summary>Queue helpers shared by the RabbitMQ tests.</summary>
public static class Queues
{
    public static async Task PublishAsync(string queue, string name, byte[] content, string? messageId = null)
    {
        var (connection, channel) = await RabbitMqServer.Shared.AdminAsync();
        await using (connection)
        await using (channel)
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = messageId ?? Guid.NewGuid().ToString("N"),
                Headers = new Dictionary<string, object?> { ["file-name"] = name, ["sender"] = "CN" },
            };
            await channel.BasicPublishAsync("", queue, true, properties, content);
        }
    }

    public static async Task<int> CountAsync(string queue)
    {
        var (connection, channel) = await RabbitMqServer.Shared.AdminAsync();
        await using (connection)
        await using (channel)
        {
            return (int)(await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false)).MessageCount;
        }
    }

    /// <summary>Takes every message off the queue: (file-name header, message id, body).</summary>
    public static async Task<List<(string Name, string MessageId, byte[] Body, IDictionary<string, object?> Headers)>> DrainAsync(string queue)
    {
        var result = new List<(string, string, byte[], IDictionary<string, object?>)>();
        var (connection, channel) = await RabbitMqServer.Shared.AdminAsync();
        await using (connection)
        await using (channel)
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
                var name = headers.TryGetValue("file-name", out var n) && n is byte[] b ? Encoding.UTF8.GetString(b) : "";
                result.Add((name, message.BasicProperties.MessageId ?? "", message.Body.ToArray(), headers));
            }
        }
        return result;
    }
}

public sealed class RabbitMqInboundContract : InboundChannelContract
{
    private string _queue = "";

    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        var server = RabbitMqServer.Shared;
        _queue = "in-" + Guid.NewGuid().ToString("N")[..8];
        return Task.FromResult(new RabbitMqChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", server.Settings(_queue), server.Root)));
    }

    protected override Task DropAsync(string name, byte[] content) => Queues.PublishAsync(_queue, name, content);

    protected override Task<int> CountAtSourceAsync() => Queues.CountAsync(_queue);

    // The message in hand is unacked, which the broker does not count as ready: no meaningful count mid-delivery.
    protected override Task<int> CountAtSourceOrMinusOneAsync() => Task.FromResult(-1);
}

public sealed class RabbitMqOutboundContract : OutboundChannelContract
{
    private readonly Dictionary<string, byte[]> _seen = new(StringComparer.Ordinal);
    private string _queue = "";

    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        var server = RabbitMqServer.Shared;
        _queue = "out-" + Guid.NewGuid().ToString("N")[..8];
        _seen.Clear();
        return Task.FromResult(new RabbitMqChannelFactory().CreateOutbound(TestChannels.Settings("TH", "Outbound", server.Settings(_queue), server.Root)));
    }

    /// <summary>
    /// The partner's view: AMQP cannot de-duplicate, so a consumer keys messages by message id; a retried send
    /// carries the same id and the same file-name, so it replaces rather than adds.
    /// </summary>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync()
    {
        var byMessageId = new Dictionary<string, (string Name, byte[] Body)>();
        foreach (var (name, id, body, _) in await Queues.DrainAsync(_queue))
        {
            byMessageId[id] = (name, body);
        }
        foreach (var (name, body) in byMessageId.Values)
        {
            _seen[name] = body;
        }
        return new Dictionary<string, byte[]>(_seen);
    }
}
