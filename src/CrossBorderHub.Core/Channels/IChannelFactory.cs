using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Channels;

/// <summary>
/// Builds the channels of one transport type (the <c>Type</c> setting of a partner's Inbound/Outbound section).
/// The host finds every factory in the Channels assembly, so a new transport is a new folder, nothing else.
/// </summary>
public interface IChannelFactory
{
    /// <summary>The value of the <c>Type</c> setting, lower case: "folder", "sftp", "ftp", "rabbitmq", "as2".</summary>
    string Type { get; }

    /// <summary>Adds one error per unusable setting, each naming the setting (its full path) and the fix.</summary>
    void Validate(ChannelSettings settings, ICollection<string> errors);

    IInboundChannel CreateInbound(ChannelSettings settings);

    IOutboundChannel CreateOutbound(ChannelSettings settings);
}

/// <summary>
/// The settings of one channel: <see cref="Section"/> is the partner's Inbound or Outbound configuration section
/// (its <c>Path</c> names it in errors); <see cref="Context"/> carries what every adapter needs.
/// </summary>
public sealed record ChannelSettings(string Partner, string Channel, IConfigurationSection Section, ChannelContext Context)
{
    /// <summary>
    /// True for the channel the hub polls (<see cref="ChannelRegistry.InboundChannelName"/>). Adapters whose rules
    /// differ by direction ask this, not the section's path: the path is for error messages and says nothing about
    /// direction when a section is named otherwise (a test, a benchmark, an embedding host).
    /// </summary>
    public bool IsInbound => string.Equals(Channel, ChannelRegistry.InboundChannelName, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Shared services for adapters: the data root (relative paths resolve against it), time, logging and the hub's own
/// certificate.
/// </summary>
public sealed record ChannelContext(string DataRoot, TimeProvider Time, ILoggerFactory LoggerFactory)
{
    /// <summary>
    /// The hub's own certificate (Hub:Identity), asked for only when a channel signs or decrypts, so a hub without
    /// such channels never loads it. Null where no host supplies one (tools, tests): an adapter then falls back to the
    /// development certificate in the data root, as the host does without Hub:Identity.
    /// </summary>
    public Func<X509Certificate2>? HubCertificate { get; init; }

    /// <summary>Certificates pinned to partners in the message store (uploaded in the admin web), beside the configured files.</summary>
    public Certificates.CertificatePins? Pins { get; init; }

    /// <summary>
    /// Where AS2 keeps seen Message-IDs and pending asynchronous MDNs: the message store in the host, so every instance
    /// sharing it sees the same. Null in tools and tests: the AS2 adapter then keeps them in files under the data root.
    /// </summary>
    public IAs2State? As2State { get; init; }

    /// <summary>Resolves a configured path against the data root, unless it is already absolute.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(DataRoot, path));
}
