using CrossBorderHub.Channels.RemoteFiles;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>Type = "ftp": a folder on an FTP or explicit FTPS server, passive mode.</summary>
public sealed class FtpChannelFactory : IChannelFactory
{
    public string Type => "ftp";

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        var path = settings.Section.Path;
        FtpChannelOptions options;
        try
        {
            options = Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"{path}: {ex.Message} (Encryption is \"Explicit\" or \"None\").");
            return;
        }
        options.Validate(path, inbound: settings.IsInbound, errors);
        if (string.IsNullOrEmpty(options.ResolvePassword()) && string.IsNullOrWhiteSpace(options.PasswordEnv))
        {
            errors.Add($"{path}:Password is empty: set Password or PasswordEnv (an environment variable name).");
        }
        if (options.NormalizedPin is { } pin && (pin.Length != 64 || !pin.All(Uri.IsHexDigit)))
        {
            errors.Add($"{path}:CertificateSha256 '{options.CertificateSha256}' is not a SHA-256 fingerprint: use the 64 hex digits printed by `openssl x509 -noout -fingerprint -sha256`.");
        }
        if (options.Encryption == FtpEncryption.None && options.NormalizedPin is not null)
        {
            errors.Add($"{path}:CertificateSha256 is set but Encryption is None: set Encryption to Explicit.");
        }
        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:OperationTimeout must be positive: use a duration such as 00:01:00.");
        }
    }

    public IInboundChannel CreateInbound(ChannelSettings settings)
    {
        var options = Bind(settings);
        return new RemoteInboundChannel(settings, options, new FtpConnector(options, StoredPins(settings)));
    }

    public IOutboundChannel CreateOutbound(ChannelSettings settings)
    {
        var options = Bind(settings);
        return new RemoteOutboundChannel(settings, options, new FtpConnector(options, StoredPins(settings)));
    }

    /// <summary>FTPS fingerprints pinned to the partner in the message store (the admin web), valid now; read at every connection.</summary>
    private static Func<IReadOnlyList<string>> StoredPins(ChannelSettings settings) => () =>
        settings.Context.Pins?.ValidFingerprints(settings.Partner, Core.Certificates.CertificateUses.Ftps, settings.Context.Time.GetUtcNow()) ?? [];

    private static FtpChannelOptions Bind(ChannelSettings settings) =>
        settings.Section.Get<FtpChannelOptions>() ?? new FtpChannelOptions();
}
