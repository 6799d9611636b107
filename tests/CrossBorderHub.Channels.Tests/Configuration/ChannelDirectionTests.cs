using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.RabbitMq;
using CrossBorderHub.Channels.Sftp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.Tests.Configuration;

/// <summary>
/// The direction of a channel is what <see cref="ChannelSettings"/> says, not the end of its configuration path: the
/// adapters used to guess it with path.EndsWith("Inbound"), so a section named otherwise got the outbound rules.
/// </summary>
public sealed class ChannelDirectionTests
{
    private static ChannelSettings Settings(string channel, string sectionPath, IDictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>($"{sectionPath}:{kv.Key}", kv.Value)))
            .Build();
        return new ChannelSettings("CN", channel, configuration.GetSection(sectionPath),
            new ChannelContext(Path.GetTempPath(), TimeProvider.System, NullLoggerFactory.Instance));
    }

    private static List<string> Validate(IChannelFactory factory, ChannelSettings settings)
    {
        var errors = new List<string>();
        factory.Validate(settings, errors);
        return errors;
    }

    private static readonly Dictionary<string, string?> RemoteWithNegativeAge = new()
    {
        ["Host"] = "127.0.0.1", ["Username"] = "hub", ["Password"] = "secret", ["RemotePath"] = ".",
        ["HostKeySha256"] = "AAAA", ["MinimumAge"] = "-00:00:05",
    };

    [Test]
    public void An_inbound_rabbitmq_channel_whose_section_is_not_named_Inbound_still_needs_a_queue()
    {
        var settings = Settings(ChannelRegistry.InboundChannelName, "Hub:Partners:CN:Pickup",
            new Dictionary<string, string?> { ["Host"] = "127.0.0.1", ["Username"] = "hub", ["Password"] = "secret" });
        Assert.That(settings.IsInbound, Is.True);
        Assert.That(Validate(new RabbitMqChannelFactory(), settings), Has.Some.Contains("Hub:Partners:CN:Pickup:Queue is empty"));
    }

    [Test]
    public void An_outbound_rabbitmq_channel_whose_section_ends_in_Inbound_is_not_asked_for_a_queue()
    {
        var settings = Settings(ChannelRegistry.OutboundChannelName, "Hub:Partners:Inbound",
            new Dictionary<string, string?> { ["Host"] = "127.0.0.1", ["Username"] = "hub", ["Password"] = "secret", ["Exchange"] = "out" });
        Assert.That(settings.IsInbound, Is.False);
        Assert.That(Validate(new RabbitMqChannelFactory(), settings), Has.None.Contains("Queue"));
    }

    [Test]
    public void An_inbound_sftp_or_ftp_channel_whose_section_is_not_named_Inbound_gets_the_pickup_checks()
    {
        foreach (IChannelFactory factory in new IChannelFactory[] { new SftpChannelFactory(), new FtpChannelFactory() })
        {
            var errors = Validate(factory, Settings(ChannelRegistry.InboundChannelName, "Hub:Partners:CN:Pickup", RemoteWithNegativeAge));
            Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Pickup:MinimumAge is negative"), factory.Type);
        }
    }
}
