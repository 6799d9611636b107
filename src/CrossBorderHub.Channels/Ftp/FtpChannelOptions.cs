using CrossBorderHub.Channels.RemoteFiles;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>Settings of an FTP/FTPS channel (Type = "ftp"); the shared ones are documented on <see cref="RemoteFileOptions"/>.</summary>
public sealed class FtpChannelOptions : RemoteFileOptions
{
    public FtpChannelOptions() => Port = 21;

    /// <summary>"Explicit" (default: AUTH TLS, control and data encrypted) or "None" (plain FTP: passwords in clear).</summary>
    public FtpEncryption Encryption { get; set; } = FtpEncryption.Explicit;

    /// <summary>
    /// Optional pin: the SHA-256 fingerprint of the server's TLS certificate (hex, colons allowed, as
    /// <c>openssl x509 -noout -fingerprint -sha256</c> prints it). When set, exactly that certificate is accepted
    /// (self-signed too); when empty the certificate must chain to a trusted root and match Host.
    /// </summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>Timeout of one command or one data read/write.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    internal string? NormalizedPin =>
        string.IsNullOrWhiteSpace(CertificateSha256) ? null : CertificateSha256.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}

public enum FtpEncryption
{
    /// <summary>Plain FTP.</summary>
    None,
    /// <summary>Explicit FTPS: AUTH TLS on the control connection, PROT P on the data connections.</summary>
    Explicit,
}
