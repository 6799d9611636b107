using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Channels.RemoteFiles;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>
/// Logs in to an FTP server with our small client (<see cref="FtpSession"/>): AUTH TLS, USER/PASS, PBSZ 0, PROT P,
/// TYPE I. The TLS certificate must chain to a trusted root, or match the pinned SHA-256 fingerprint.
/// </summary>
internal sealed class FtpConnector(FtpChannelOptions options, Func<IReadOnlyList<string>>? storedPins = null) : IRemoteFileConnector
{
    public string Describe => $"{(options.Encryption == FtpEncryption.Explicit ? "ftpes" : "ftp")}://{options.Username}@{options.Host}:{options.Port}";

    public async Task<IRemoteFileSession> ConnectAsync(CancellationToken cancellationToken)
    {
        var session = new FtpSession(options, ValidateCertificate);
        try
        {
            await session.LoginAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A pinned fingerprint replaces CA trust (self-signed partner certificates); otherwise the chain and name must be
    /// valid. Certificates pinned in the store (uploaded in the admin web) are accepted beside CertificateSha256: a
    /// rollover pins the new one before the partner switches.
    /// </summary>
    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }
        var presented = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        var stored = storedPins?.Invoke() ?? [];
        if (stored.Contains(presented, StringComparer.Ordinal))
        {
            return true;
        }
        return options.NormalizedPin is { } pin
            ? string.Equals(pin, presented, StringComparison.Ordinal)
            : stored.Count == 0 && errors == SslPolicyErrors.None;
    }

    internal static RemoteFileException TlsRefused(string? presented, Exception inner) =>
        new(RemoteFailure.ServerIdentity,
            $"TLS handshake refused: {presented ?? inner.Message}. If this is the partner's certificate, verify its fingerprint with them and set CertificateSha256.", inner);

    /// <summary>The message with its inner causes ("The read operation failed" alone says nothing).</summary>
    internal static string Reason(Exception ex)
    {
        var text = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text += " <- " + inner.Message;
        }
        return text;
    }

    internal static bool IsNetwork(Exception ex) => ex is IOException or SocketException or TimeoutException or ObjectDisposedException or AuthenticationException;
}
