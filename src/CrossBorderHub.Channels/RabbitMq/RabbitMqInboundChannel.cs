using System.Security.Cryptography;
using System.Text;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace CrossBorderHub.Channels.RabbitMq;

/// <summary>
/// Consumes a queue with manual acknowledgements: a message is acked only after the sink stored it; when the store
/// fails it is nacked with requeue. A message the store keeps failing on while others are stored fine is poison and
/// is rejected without requeue after MaxDeliveryAttempts (to the queue's dead-letter exchange), so it never cycles
/// forever; when the store fails on everything (it is down) nothing counts as poison and the poll stops early.
/// </summary>
internal sealed class RabbitMqInboundChannel(ChannelSettings settings, RabbitMqChannelOptions options) : IInboundChannel
{
    private const int StopAfterConsecutiveFailures = 3;
    private readonly RabbitMqConnection _connection = new(settings, options, publisherConfirms: false);
    private readonly ILogger _logger = settings.Context.LoggerFactory.CreateLogger<RabbitMqInboundChannel>();
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    public async Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        int accepted = 0, failed = 0, consecutiveFailures = 0;
        var held = new List<(ulong Tag, string Key, string Id)>();
        IChannel? channel = null;
        try
        {
            channel = await _connection.ChannelAsync(cancellationToken);
            for (var i = 0; i < options.MaxMessagesPerPoll && consecutiveFailures < StopAfterConsecutiveFailures; i++)
            {
                var message = await channel.BasicGetAsync(options.Queue, autoAck: false, cancellationToken);
                if (message is null)
                {
                    break;
                }
                var origin = Origin(message);
                try
                {
                    using var content = new MemoryStream(message.Body.ToArray(), writable: false);
                    await sink.AcceptAsync(origin, content, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Keep it unacked until the end of the poll, so the next BasicGet moves on to the next message and
                    // we learn whether the store fails on this one only (poison) or on everything (store down).
                    failed++;
                    consecutiveFailures++;
                    held.Add((message.DeliveryTag, Key(message), origin.Headers!["message-id"]));
                    _logger.LogWarning("Partner {Partner} channel {Channel}: storing message {MessageId} failed, it stays on the queue: {Error}",
                        settings.Partner, settings.Channel, PartnerText.Escape(origin.Headers!["message-id"]), PartnerText.Escape(ex.Message));
                    continue;
                }
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                _failures.Remove(Key(message));
                accepted++;
                consecutiveFailures = 0;
            }
            await ReleaseHeldAsync(channel, held, storeWorks: accepted > 0, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _connection.DropAsync(); // unacked messages return to the queue with the connection
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Broker gone mid-poll: every unacked message goes back to the queue with the connection.
            failed++;
            _logger.LogError("{Error}", _connection.Explain(ex));
            await _connection.DropAsync();
        }
        return new PollResult(accepted, 0, failed);
    }

    private async Task ReleaseHeldAsync(IChannel channel, List<(ulong Tag, string Key, string Id)> held, bool storeWorks, CancellationToken cancellationToken)
    {
        foreach (var (tag, key, id) in held)
        {
            var attempts = storeWorks ? _failures[key] = _failures.GetValueOrDefault(key) + 1 : _failures.GetValueOrDefault(key);
            var poison = attempts >= options.MaxDeliveryAttempts;
            await channel.BasicNackAsync(tag, multiple: false, requeue: !poison, cancellationToken);
            if (poison)
            {
                _failures.Remove(key);
                _logger.LogError("Partner {Partner} channel {Channel}: message {MessageId} failed to store {Attempts} times while others were stored: rejected as poison (kept only if queue '{Queue}' has a dead-letter exchange).",
                    settings.Partner, settings.Channel, PartnerText.Escape(id), attempts, options.Queue);
            }
        }
    }

    private InboundOrigin Origin(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["message-id"] = properties.MessageId ?? "",
            ["routing-key"] = message.RoutingKey,
            ["redelivered"] = message.Redelivered ? "true" : "false",
        };
        if (properties.ContentType is { } contentType)
        {
            headers["content-type"] = contentType;
        }
        if (properties.Headers is { } amqpHeaders)
        {
            foreach (var (name, value) in amqpHeaders)
            {
                if (Text(value) is { } text)
                {
                    headers[name] = text;
                }
            }
        }
        var remoteName = headers.GetValueOrDefault("file-name") is { Length: > 0 } fileName ? fileName
            : properties.MessageId is { Length: > 0 } messageId ? messageId
            : $"{options.Queue}-{Convert.ToHexString(SHA256.HashData(message.Body.Span))[..16]}";
        return new InboundOrigin(settings.Partner, settings.Channel, remoteName, headers);
    }

    /// <summary>AMQP header values arrive as byte[] (strings), numbers or nested tables; only text and numbers are kept.</summary>
    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string s => s,
        int or long or short or byte or bool or decimal or double or float => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Key(BasicGetResult message) =>
        (message.BasicProperties.MessageId ?? "") + ":" + Convert.ToHexString(SHA256.HashData(message.Body.Span));

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
