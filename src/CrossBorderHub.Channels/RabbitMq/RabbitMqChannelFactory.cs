using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.RabbitMq;

/// <summary>Type = "rabbitmq": consume a queue (inbound) or publish to an exchange (outbound).</summary>
public sealed class RabbitMqChannelFactory : IChannelFactory
{
    public string Type => "rabbitmq";

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        var path = settings.Section.Path;
        RabbitMqChannelOptions options;
        try
        {
            options = Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"{path}: {ex.Message} (numbers for Port and the limits, durations like 00:00:05, true/false).");
            return;
        }
        var inbound = settings.IsInbound;
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add($"{path}:Host is empty: set the broker's host name or address.");
        }
        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"{path}:Port {options.Port} is out of range: use 5672 (AMQP) or 5671 (AMQPS).");
        }
        if (string.IsNullOrWhiteSpace(options.Username))
        {
            errors.Add($"{path}:Username is empty: set the broker account.");
        }
        if (!string.IsNullOrWhiteSpace(options.PasswordEnv) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(options.PasswordEnv)))
        {
            errors.Add($"{path}:PasswordEnv names the environment variable '{options.PasswordEnv}', which is not set: set it or remove PasswordEnv.");
        }
        if (string.IsNullOrEmpty(options.ResolvePassword()) && string.IsNullOrWhiteSpace(options.PasswordEnv))
        {
            errors.Add($"{path}:Password is empty: set Password or PasswordEnv (an environment variable name).");
        }
        if (inbound && string.IsNullOrWhiteSpace(options.Queue))
        {
            errors.Add($"{path}:Queue is empty: name the queue to consume.");
        }
        if (!inbound && string.IsNullOrEmpty(options.Exchange) && string.IsNullOrWhiteSpace(options.EffectiveRoutingKey))
        {
            errors.Add($"{path}: nowhere to publish: set Exchange and RoutingKey, or Queue (published through the default exchange).");
        }
        if (options.MaxMessagesPerPoll < 1 || options.MaxDeliveryAttempts < 1 || options.ConnectAttempts < 1)
        {
            errors.Add($"{path}: MaxMessagesPerPoll, MaxDeliveryAttempts and ConnectAttempts must be 1 or more.");
        }
    }

    public IInboundChannel CreateInbound(ChannelSettings settings) => new RabbitMqInboundChannel(settings, Bind(settings));

    public IOutboundChannel CreateOutbound(ChannelSettings settings) => new RabbitMqOutboundChannel(settings, Bind(settings));

    private static RabbitMqChannelOptions Bind(ChannelSettings settings) =>
        settings.Section.Get<RabbitMqChannelOptions>() ?? new RabbitMqChannelOptions();
}
