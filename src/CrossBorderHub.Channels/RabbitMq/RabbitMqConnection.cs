using System.Net.Sockets;
using CrossBorderHub.Core.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CrossBorderHub.Channels.RabbitMq;

/// <summary>
/// One broker connection and channel, opened lazily with retries and dropped on any failure so the next use
/// reconnects (the client's own automatic recovery is off: the hub decides when to retry, and never loses track of
/// an unacknowledged message across a silent recovery).
/// </summary>
internal sealed class RabbitMqConnection(ChannelSettings settings, RabbitMqChannelOptions options, bool publisherConfirms) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    public string Describe => $"amqp{(options.UseTls ? "s" : "")}://{options.Username}@{options.Host}:{options.Port}{(options.VirtualHost == "/" ? "/" : "/" + options.VirtualHost)}";

    public async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }
        await DropAsync();
        var delay = options.RetryBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await OpenAsync(cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < options.ConnectAttempts)
            {
                await DropAsync();
                await Task.Delay(delay, settings.Context.Time, cancellationToken);
                delay += delay;
            }
            catch
            {
                await DropAsync();
                throw;
            }
        }
    }

    private async Task<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.ResolvePassword() ?? "",
            RequestedConnectionTimeout = options.ConnectTimeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            Ssl = new SslOption { Enabled = options.UseTls, ServerName = options.Host },
        };
        _connection = await factory.CreateConnectionAsync($"CrossBorderHub {settings.Partner} {settings.Channel}", cancellationToken);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: publisherConfirms, publisherConfirmationTrackingEnabled: publisherConfirms),
            cancellationToken);
        if (options.DeclareQueue && !string.IsNullOrEmpty(options.Queue))
        {
            await _channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        }
        return _channel;
    }

    /// <summary>Worth another attempt: the broker is down, restarting or the connection dropped.</summary>
    public static bool IsTransient(Exception ex) =>
        !IsLoginRefused(ex)
        && ex is BrokerUnreachableException or AlreadyClosedException or ConnectFailureException or SocketException or IOException or TimeoutException
            or OperationInterruptedException { ShutdownReason.ReplyCode: 320 or 0 };

    private static bool IsLoginRefused(Exception ex) =>
        ex is AuthenticationFailureException or PossibleAuthenticationFailureException
        || ex.InnerException is AuthenticationFailureException or PossibleAuthenticationFailureException;

    /// <summary>One line naming partner, channel, broker and the cause (never the password).</summary>
    public string Explain(Exception ex)
    {
        var cause = ex switch
        {
            _ when IsLoginRefused(ex) => "login refused: check Username and Password/PasswordEnv, and the user's access to the virtual host",
            BrokerUnreachableException => "cannot reach the broker (will retry)",
            OperationInterruptedException { ShutdownReason.ReplyCode: 404 } => $"not found: {ex.Message} (does queue/exchange '{Target}' exist?)",
            OperationInterruptedException { ShutdownReason.ReplyCode: 403 } => $"access refused: {ex.Message} (grant the user permissions on the virtual host)",
            PublishException => "the broker did not confirm the message (nack or unroutable: check Exchange/RoutingKey)",
            _ when IsTransient(ex) => $"connection lost (will retry): {ex.Message}",
            _ => ex.Message,
        };
        return $"partner {settings.Partner} channel {settings.Channel} ({Describe}): {cause}";
    }

    private string Target => string.IsNullOrEmpty(options.Exchange) ? options.Queue : options.Exchange;

    public async Task DropAsync()
    {
        var channel = _channel;
        var connection = _connection;
        _channel = null;
        _connection = null;
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The broker is gone already: nothing to close.
        }
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
