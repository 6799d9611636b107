namespace CrossBorderHub.Channels.RabbitMq;

/// <summary>Settings of a RabbitMQ channel (Type = "rabbitmq").</summary>
public sealed class RabbitMqChannelOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "";

    /// <summary>Prefer <see cref="PasswordEnv"/> or the environment variable Hub__Partners__X__Inbound__Password.</summary>
    public string? Password { get; set; }

    /// <summary>The name of an environment variable holding the password.</summary>
    public string? PasswordEnv { get; set; }

    /// <summary>AMQPS: TLS to the broker, validated against the system's trusted roots (port 5671 usually).</summary>
    public bool UseTls { get; set; }

    /// <summary>Inbound: the queue to consume; outbound: the default routing key when <see cref="RoutingKey"/> is empty.</summary>
    public string Queue { get; set; } = "";

    /// <summary>Declare <see cref="Queue"/> as a durable queue at connect time (when the hub owns it).</summary>
    public bool DeclareQueue { get; set; }

    /// <summary>Outbound: the exchange to publish to; empty = the default exchange (routing key = queue name).</summary>
    public string Exchange { get; set; } = "";

    public string? RoutingKey { get; set; }

    /// <summary>Inbound: at most this many messages per poll, so one poll cannot run forever on a busy queue.</summary>
    public int MaxMessagesPerPoll { get; set; } = 500;

    /// <summary>
    /// Inbound: a message the store failed on this many times while other messages were stored fine is poison: it is
    /// rejected without requeue (to the queue's dead-letter exchange, if configured) instead of cycling forever.
    /// </summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Outbound: a larger document is refused (Rejected): brokers hold messages in memory.</summary>
    public long MaxMessageBytes { get; set; } = 64L * 1024 * 1024;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int ConnectAttempts { get; set; } = 3;

    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    internal string? ResolvePassword() =>
        !string.IsNullOrEmpty(Password) ? Password
        : !string.IsNullOrWhiteSpace(PasswordEnv) ? Environment.GetEnvironmentVariable(PasswordEnv)
        : null;

    internal string EffectiveRoutingKey => string.IsNullOrEmpty(RoutingKey) ? Queue : RoutingKey;
}
