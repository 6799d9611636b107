using System.Net.Sockets;
using CrossBorderHub.Channels.RemoteFiles;
using CrossBorderHub.Core.Channels;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace CrossBorderHub.Channels.Sftp;

/// <summary>
/// Opens SSH.NET SFTP sessions: authenticates with a password and/or a private key and accepts only the pinned host
/// key. The only place (with <see cref="SftpSession"/>) that knows SSH.NET.
/// </summary>
internal sealed class SftpConnector(ChannelSettings settings, SftpChannelOptions options) : IRemoteFileConnector
{
    private readonly string _pinned = SftpChannelOptions.NormalizeFingerprint(options.HostKeySha256);

    public string Describe => $"sftp://{options.Username}@{options.Host}:{options.Port}";

    public async Task<IRemoteFileSession> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SftpClient(BuildConnectionInfo());
        client.OperationTimeout = options.OperationTimeout;
        // Larger reads and writes: fewer round trips on big files (capped by the server's packet size anyway).
        client.BufferSize = 64 * 1024;
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = $"SHA256:{e.FingerPrintSHA256} ({e.HostKeyName})";
            e.CanTrust = string.Equals("SHA256:" + e.FingerPrintSHA256, _pinned, StringComparison.Ordinal);
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
            return new SftpSession(client);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            client.Dispose();
            if (presented is not null && !presented.StartsWith(_pinned + " ", StringComparison.Ordinal))
            {
                throw new RemoteFileException(RemoteFailure.ServerIdentity,
                    $"host key {presented} is not the pinned HostKeySha256 {_pinned}: refused. If the partner really changed its key, verify the new fingerprint with them and update HostKeySha256.", ex);
            }
            throw ex switch
            {
                SshAuthenticationException => new RemoteFileException(RemoteFailure.Authentication, $"user '{options.Username}': {ex.Message}", ex),
                SshPassPhraseNullOrEmptyException or InvalidOperationException when ex is not SshException =>
                    new RemoteFileException(RemoteFailure.Authentication, $"private key: {ex.Message}", ex),
                SshConnectionException or SshOperationTimeoutException or SocketException or ProxyException or IOException or TimeoutException or SshException =>
                    new RemoteFileException(RemoteFailure.Connection, ex.Message, ex),
                _ => ex,
            };
        }
    }

    private ConnectionInfo BuildConnectionInfo()
    {
        var methods = new List<AuthenticationMethod>();
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            var keyPath = settings.Context.ResolvePath(options.PrivateKeyPath);
            PrivateKeyFile key;
            try
            {
                var passphrase = options.ResolvePassphrase();
                key = string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(keyPath) : new PrivateKeyFile(keyPath, passphrase);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException or ArgumentException or InvalidOperationException)
            {
                throw new RemoteFileException(RemoteFailure.Authentication,
                    $"cannot read the private key {keyPath} ({ex.Message}): check PrivateKeyPath and PrivateKeyPassphrase/PrivateKeyPassphraseEnv.", ex);
            }
            methods.Add(new PrivateKeyAuthenticationMethod(options.Username, key));
        }
        var password = options.ResolvePassword();
        if (!string.IsNullOrEmpty(password))
        {
            methods.Add(new PasswordAuthenticationMethod(options.Username, password));
        }
        return new ConnectionInfo(options.Host, options.Port, options.Username, [.. methods])
        {
            Timeout = options.ConnectTimeout,
        };
    }
}
