using CrossBorderHub.Core.Channels;
using RabbitMQ.Client;

namespace CrossBorderHub.Channels.RabbitMq;

/// <summary>
/// Publishes persistent messages with publisher confirms (mandatory, so an unroutable message is not silently
/// dropped): Delivered only once the broker confirmed. The AMQP message id is the hub's message id and the file name
/// travels in a header, so a retry after a lost confirm carries the same id and the consumer can drop the copy —
/// AMQP itself cannot de-duplicate.
/// </summary>
internal sealed class RabbitMqOutboundChannel(ChannelSettings settings, RabbitMqChannelOptions options) : IOutboundChannel
{
    private readonly RabbitMqConnection _connection = new(settings, options, publisherConfirms: true);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        if (document.Length > options.MaxMessageBytes)
        {
            return SendResult.Rejected($"partner {settings.Partner} channel {settings.Channel}: {document.Length} bytes is over MaxMessageBytes {options.MaxMessageBytes}: send it over a file channel or raise the limit.");
        }
        byte[] body;
        await using (var content = await document.OpenContent(cancellationToken))
        using (var buffer = new MemoryStream(document.Length > 0 ? (int)document.Length : 4096))
        {
            await content.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        var properties = Properties(document);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await _connection.ChannelAsync(cancellationToken);
            await channel.BasicPublishAsync(options.Exchange, options.EffectiveRoutingKey, mandatory: true, properties, body, cancellationToken);
            return SendResult.Delivered($"{_connection.Describe} exchange '{options.Exchange}' routing key '{options.EffectiveRoutingKey}' message-id {document.MessageId}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await _connection.DropAsync();
            return SendResult.RetryLater(_connection.Explain(ex));
        }
        finally
        {
            _gate.Release();
        }
    }

    private static BasicProperties Properties(OutboundDocument document)
    {
        var headers = new Dictionary<string, object?>
        {
            ["file-name"] = SafeFileName.From(document.FileName),
        };
        foreach (var key in new[] { "sender", "recipient", "document-type" })
        {
            if (document.Headers.TryGetValue(key, out var value))
            {
                headers[key] = value;
            }
        }
        return new BasicProperties
        {
            Persistent = true,
            MessageId = document.MessageId,
            Type = document.Headers.GetValueOrDefault("document-type"),
            ContentType = document.Headers.GetValueOrDefault("content-type") ?? "application/octet-stream",
            AppId = "CrossBorderHub",
            Headers = headers,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
