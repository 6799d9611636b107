using CrossBorderHub.Channels.RemoteFiles;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.Sftp;

/// <summary>Type = "sftp": a folder on an SSH server (password or private key, pinned host key).</summary>
public sealed class SftpChannelFactory : IChannelFactory
{
    public string Type => "sftp";

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        var path = settings.Section.Path;
        SftpChannelOptions options;
        try
        {
            options = Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"{path}: {ex.Message} (numbers for Port/ConnectAttempts, durations like 00:00:05, true/false).");
            return;
        }
        options.Validate(path, inbound: settings.IsInbound, errors);
        var hasKey = !string.IsNullOrWhiteSpace(options.PrivateKeyPath);
        if (!hasKey && string.IsNullOrEmpty(options.ResolvePassword()) && string.IsNullOrWhiteSpace(options.PasswordEnv))
        {
            errors.Add($"{path}: no credentials: set PrivateKeyPath, or Password / PasswordEnv (an environment variable name).");
        }
        if (hasKey && !File.Exists(settings.Context.ResolvePath(options.PrivateKeyPath!)))
        {
            errors.Add($"{path}:PrivateKeyPath '{settings.Context.ResolvePath(options.PrivateKeyPath!)}' does not exist: point it at an OpenSSH private key file.");
        }
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPassphraseEnv) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(options.PrivateKeyPassphraseEnv)))
        {
            errors.Add($"{path}:PrivateKeyPassphraseEnv names the environment variable '{options.PrivateKeyPassphraseEnv}', which is not set: set it or remove the setting.");
        }
        if (string.IsNullOrWhiteSpace(options.HostKeySha256))
        {
            errors.Add($"{path}:HostKeySha256 is empty: pin the server's host key, e.g. the SHA256:... value printed by `ssh-keyscan -p {options.Port} {options.Host} | ssh-keygen -lf -` (verify it with the partner).");
        }
        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:OperationTimeout must be positive: use a duration such as 00:01:00.");
        }
    }

    public IInboundChannel CreateInbound(ChannelSettings settings)
    {
        var options = Bind(settings);
        return new RemoteInboundChannel(settings, options, new SftpConnector(settings, options));
    }

    public IOutboundChannel CreateOutbound(ChannelSettings settings)
    {
        var options = Bind(settings);
        return new RemoteOutboundChannel(settings, options, new SftpConnector(settings, options));
    }

    internal static SftpChannelOptions Bind(ChannelSettings settings) =>
        settings.Section.Get<SftpChannelOptions>() ?? new SftpChannelOptions();
}
