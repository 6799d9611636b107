using CrossBorderHub.Channels.RemoteFiles;

namespace CrossBorderHub.Channels.Sftp;

/// <summary>Settings of an SFTP channel (Type = "sftp"); the shared ones are documented on <see cref="RemoteFileOptions"/>.</summary>
public sealed class SftpChannelOptions : RemoteFileOptions
{
    public SftpChannelOptions() => Port = 22;

    /// <summary>An OpenSSH private key file (relative paths resolve against Hub:DataRoot); used instead of a password.</summary>
    public string? PrivateKeyPath { get; set; }

    public string? PrivateKeyPassphrase { get; set; }

    /// <summary>The name of an environment variable holding the key's passphrase.</summary>
    public string? PrivateKeyPassphraseEnv { get; set; }

    /// <summary>
    /// The server's host key fingerprint as OpenSSH prints it ("SHA256:base64", from
    /// <c>ssh-keyscan -p PORT HOST | ssh-keygen -lf -</c>). Required: any other key is refused.
    /// </summary>
    public string HostKeySha256 { get; set; } = "";

    /// <summary>Timeout of one SFTP request.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    internal string? ResolvePassphrase() =>
        !string.IsNullOrEmpty(PrivateKeyPassphrase) ? PrivateKeyPassphrase
        : !string.IsNullOrWhiteSpace(PrivateKeyPassphraseEnv) ? Environment.GetEnvironmentVariable(PrivateKeyPassphraseEnv)
        : null;

    /// <summary>"SHA256:abc" and "abc" (with or without '=' padding) name the same fingerprint.</summary>
    internal static string NormalizeFingerprint(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[7..];
        }
        return "SHA256:" + trimmed.TrimEnd('=');
    }
}
