using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using CrossBorderHub.Channels.RemoteFiles;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>
/// A minimal FTP/FTPS client (RFC 959, 2228, 4217, 3659 SIZE/MDTM, 2428 EPSV), passive mode only, binary only:
/// just what the channel needs, behind <see cref="IRemoteFileSession"/> so it stays replaceable. Data connections
/// are encrypted too (PROT P); TLS session reuse is not offered (.NET SslStream cannot resume a session across
/// sockets), so the server must not require it (vsftpd: require_ssl_reuse=NO).
/// </summary>
internal sealed class FtpSession(FtpChannelOptions options, RemoteCertificateValidationCallback validate) : IRemoteFileSession
{
    private readonly TcpClient _control = new();
    private readonly byte[] _one = new byte[1];
    private Stream _stream = Stream.Null;
    private IPAddress _address = IPAddress.Loopback;
    private string _home = "/";
    private bool _tls;
    private RemoteFileException? _refused;

    public bool SupportsConcurrentOperations => false;

    public async Task LoginAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = Timeout(options.ConnectTimeout, cancellationToken);
            await _control.ConnectAsync(options.Host, options.Port, timeout.Token);
            _address = ((IPEndPoint)_control.Client.RemoteEndPoint!).Address;
            _stream = _control.GetStream();
            await ExpectAsync(null, cancellationToken, 220);
            if (options.Encryption == FtpEncryption.Explicit)
            {
                await ExpectAsync("AUTH TLS", cancellationToken, 234);
                _stream = await HandshakeAsync(_stream, cancellationToken);
                _tls = true;
            }
            var user = await CommandAsync($"USER {options.Username}", cancellationToken);
            if (user.Code == 331)
            {
                var pass = await CommandAsync("PASS " + (options.ResolvePassword() ?? ""), cancellationToken, logAs: "PASS ***");
                if (pass.Code != 230 && pass.Code != 202)
                {
                    throw new RemoteFileException(RemoteFailure.Authentication, $"user '{options.Username}': {pass.Code} {pass.Text}");
                }
            }
            else if (user.Code != 230)
            {
                throw new RemoteFileException(RemoteFailure.Authentication, $"user '{options.Username}': {user.Code} {user.Text}");
            }
            if (_tls)
            {
                await ExpectAsync("PBSZ 0", cancellationToken, 200);
                await ExpectAsync("PROT P", cancellationToken, 200);
            }
            await ExpectAsync("TYPE I", cancellationToken, 200);
            var pwd = await ExpectAsync("PWD", cancellationToken, 257);
            var first = pwd.Text.IndexOf('"');
            var last = pwd.Text.LastIndexOf('"');
            _home = first >= 0 && last > first ? pwd.Text[(first + 1)..last].Replace("\"\"", "\"", StringComparison.Ordinal) : "/";
        }
        catch (Exception ex) when (ex is not RemoteFileException && !cancellationToken.IsCancellationRequested && FtpConnector.IsNetwork(ex))
        {
            throw _refused ?? new RemoteFileException(RemoteFailure.Connection, FtpConnector.Reason(ex), ex);
        }
    }

    public async Task<IReadOnlyList<RemoteFile>> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var absolute = Absolute(folder);
        await ExpectAsync($"CWD {absolute}", cancellationToken, 250);
        // "-a": list hidden names too (claims left by an interrupted poll start with a dot).
        var names = FtpReplies.Names(await ReadAllAsync("NLST -a", cancellationToken));
        await ExpectAsync($"CWD {_home}", cancellationToken, 250);
        var files = new List<RemoteFile>();
        foreach (var name in names)
        {
            if (await StatOrNullAsync(RemoteFileOptions.Combine(absolute, name), name, cancellationToken) is { } file)
            {
                files.Add(file);
            }
        }
        return files;
    }

    public async Task<RemoteFile> StatAsync(string path, CancellationToken cancellationToken) => await StatOrNullAsync(Absolute(path), path, cancellationToken) ?? throw new RemoteFileException(RemoteFailure.NotFound, $"{path}: gone");
    /// <summary>SIZE and MDTM (whole seconds); null for a folder or a name that is gone.</summary>
    private async Task<RemoteFile?> StatOrNullAsync(string path, string name, CancellationToken cancellationToken)
    {
        var size = await CommandAsync($"SIZE {path}", cancellationToken);
        if (size.Code != 213)
        {
            return null;
        }
        var mdtm = await CommandAsync($"MDTM {path}", cancellationToken);
        return new RemoteFile(name, long.Parse(size.Text.Trim(), CultureInfo.InvariantCulture), mdtm.Code == 213 ? FtpReplies.Time(mdtm.Text) : DateTimeOffset.MinValue);
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var data = await OpenDataAsync($"RETR {Absolute(path)}", cancellationToken);
        return new FtpDataStream(data, this, options.OperationTimeout, upload: false, path);
    }

    public async Task UploadAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        var data = await OpenDataAsync($"STOR {Absolute(path)}", cancellationToken);
        var stream = new FtpDataStream(data, this, options.OperationTimeout, upload: true, path);
        RemoteFileException failure;
        try
        {
            try
            {
                await content.CopyToAsync(stream, 128 * 1024, cancellationToken);
            }
            catch (Exception ex) when (FtpConnector.IsNetwork(ex) || ex is RemoteFileException)
            {
                // The server may have closed the data connection because the disk is full: its reply says why.
                throw await stream.AbortAsync(ex, cancellationToken);
            }
            await stream.CompleteAsync(cancellationToken);
            return;
        }
        catch (RemoteFileException ex) when (stream.ServerAnswered)
        {
            failure = ex;
        }
        // Whatever the server said (451/452 disk full, or 426 when it noticed the broken data connection first, during
        // the copy or only at its end), the partial file must not eat the partner's space until the retry: the
        // control connection just answered, so removing it costs one command.
        try
        {
            await DeleteAsync(path, cancellationToken);
        }
        catch (RemoteFileException)
        {
            // Best effort: the retry overwrites it anyway.
        }
        throw failure;
    }

    public async Task RenameAsync(string from, string to, bool overwrite, CancellationToken cancellationToken)
    {
        if (!overwrite && (await CommandAsync($"SIZE {Absolute(to)}", cancellationToken)).Code == 213)
        {
            throw new RemoteFileException(RemoteFailure.Refused, $"{to} already exists");
        }
        await ExpectAsync($"RNFR {Absolute(from)}", cancellationToken, 350);
        await ExpectAsync($"RNTO {Absolute(to)}", cancellationToken, 250);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => ExpectAsync($"DELE {Absolute(path)}", cancellationToken, 250);

    public async Task EnsureFolderAsync(string path, CancellationToken cancellationToken)
    {
        if ((await CommandAsync($"CWD {Absolute(path)}", cancellationToken)).Code == 250)
        {
            await ExpectAsync($"CWD {_home}", cancellationToken, 250);
            return;
        }
        await ExpectAsync($"MKD {Absolute(path)}", cancellationToken, 257);
    }

    private string Absolute(string path) => path.StartsWith('/') ? path : RemoteFileOptions.Combine(_home, path == "." ? "" : path).TrimEnd('/') is { Length: > 0 } p ? p : "/";

    /// <summary>EPSV (or PASV), connect the data socket, send the command, wait for 150/125, then TLS on the data socket.</summary>
    private async Task<Stream> OpenDataAsync(string command, CancellationToken cancellationToken)
    {
        var port = await PassivePortAsync(cancellationToken);
        var client = new TcpClient();
        try
        {
            using (var timeout = Timeout(options.ConnectTimeout, cancellationToken))
            {
                // Always the control connection's address: a server behind NAT may announce a private one.
                await client.ConnectAsync(_address, port, timeout.Token);
            }
            await ExpectAsync(command, cancellationToken, 150, 125);
            Stream data = client.GetStream();
            if (_tls)
            {
                data = await HandshakeAsync(data, cancellationToken);
            }
            return new OwnedStream(data, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<int> PassivePortAsync(CancellationToken cancellationToken)
    {
        var epsv = await CommandAsync("EPSV", cancellationToken);
        if (epsv.Code == 229)
        {
            // "Entering Extended Passive Mode (|||6446|)"
            var open = epsv.Text.IndexOf("(|||", StringComparison.Ordinal);
            var close = epsv.Text.IndexOf("|)", StringComparison.Ordinal);
            if (open >= 0 && close > open)
            {
                return int.Parse(epsv.Text[(open + 4)..close], CultureInfo.InvariantCulture);
            }
        }
        var pasv = await ExpectAsync("PASV", cancellationToken, 227);
        // "Entering Passive Mode (h1,h2,h3,h4,p1,p2)"
        var start = pasv.Text.IndexOf('(');
        var end = pasv.Text.IndexOf(')', start + 1);
        var parts = pasv.Text[(start + 1)..end].Split(',');
        return int.Parse(parts[4], CultureInfo.InvariantCulture) * 256 + int.Parse(parts[5], CultureInfo.InvariantCulture);
    }

    private async Task<SslStream> HandshakeAsync(Stream inner, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, (s, c, ch, e) =>
        {
            var ok = validate(s, c, ch, e);
            if (!ok)
            {
                _refused = FtpConnector.TlsRefused(Describe(c, e), new AuthenticationException("certificate refused"));
            }
            return ok;
        });
        try
        {
            using var timeout = Timeout(options.ConnectTimeout, cancellationToken);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Host }, timeout.Token);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync();
            throw _refused ?? FtpConnector.TlsRefused(null, ex);
        }
    }

    private string Describe(System.Security.Cryptography.X509Certificates.X509Certificate? certificate, SslPolicyErrors errors) =>
        certificate is null ? "no certificate"
        : $"certificate '{certificate.Subject}' SHA-256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()))} ({(options.NormalizedPin is null ? errors.ToString() : "not the pinned CertificateSha256")})";

    private async Task<byte[]> ReadAllAsync(string command, CancellationToken cancellationToken)
    {
        await using var data = await OpenDataAsync(command, cancellationToken);
        await using var stream = new FtpDataStream(data, this, options.OperationTimeout, upload: false, command);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        await stream.CompleteAsync(cancellationToken);
        return buffer.ToArray();
    }

    internal readonly record struct Reply(int Code, string Text);

    internal async Task<Reply> ExpectAsync(string? command, CancellationToken cancellationToken, params int[] codes)
    {
        var reply = command is null ? await ReadReplyAsync(cancellationToken) : await CommandAsync(command, cancellationToken);
        if (Array.IndexOf(codes, reply.Code) < 0)
        {
            throw Failure(command ?? "connect", reply);
        }
        return reply;
    }

    private async Task<Reply> CommandAsync(string command, CancellationToken cancellationToken, string? logAs = null)
    {
        if (command.AsSpan().ContainsAny('\r', '\n'))
        {
            // A name with a line break would smuggle a second command onto the control connection.
            throw new RemoteFileException(RemoteFailure.Refused, $"refusing to send a command with a line break: {(logAs ?? command).Replace('\r', '?').Replace('\n', '?')}");
        }
        try
        {
            using var timeout = Timeout(options.OperationTimeout, cancellationToken);
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), timeout.Token);
            await _stream.FlushAsync(timeout.Token);
        }
        catch (Exception ex) when (FtpConnector.IsNetwork(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RemoteFileException(RemoteFailure.Connection, $"{(logAs ?? command).Split(' ')[0]}: {FtpConnector.Reason(ex)}", ex);
        }
        try
        {
            return await ReadReplyAsync(cancellationToken);
        }
        catch (RemoteFileException ex) when (ex.Failure == RemoteFailure.Connection)
        {
            throw new RemoteFileException(RemoteFailure.Connection, $"{(logAs ?? command).Split(' ')[0]}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads one (possibly multi-line "123-...\r\n123 end") reply, byte by byte so no TLS data is over-read.</summary>
    internal async Task<Reply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = Timeout(options.OperationTimeout, cancellationToken);
            var line = await ReadLineAsync(timeout.Token);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                throw new RemoteFileException(RemoteFailure.Connection, $"not an FTP reply: '{line}'");
            }
            var text = new StringBuilder(line.Length > 4 ? line[4..] : "");
            if (line.Length > 3 && line[3] == '-')
            {
                var end = line[..3] + " ";
                string next;
                do
                {
                    next = await ReadLineAsync(timeout.Token);
                    text.Append('\n').Append(next);
                }
                while (!next.StartsWith(end, StringComparison.Ordinal));
            }
            if (code == 421)
            {
                throw new RemoteFileException(RemoteFailure.Connection, $"421 {text}");
            }
            return new Reply(code, text.ToString());
        }
        catch (Exception ex) when (FtpConnector.IsNetwork(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RemoteFileException(RemoteFailure.Connection, $"no reply: {FtpConnector.Reason(ex)}", ex);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(80);
        while (true)
        {
            if (await _stream.ReadAsync(_one, cancellationToken) == 0)
            {
                throw new IOException("the server closed the control connection");
            }
            if (_one[0] == '\n')
            {
                break;
            }
            if (bytes.Count > 8192)
            {
                throw new IOException("reply line too long");
            }
            bytes.Add(_one[0]);
        }
        return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\r');
    }

    internal static RemoteFileException Failure(string command, Reply reply)
    {
        var verb = command.Split(' ')[0];
        var target = command.Length > verb.Length ? command[(verb.Length + 1)..] : "";
        var text = $"{verb} {target}: {reply.Code} {reply.Text}";
        if (reply.Code == 522)
        {
            // vsftpd's require_ssl_reuse: .NET cannot resume the control connection's TLS session on the data one.
            text += " (the server requires TLS session reuse on data connections, which this client cannot do: ask the partner to allow it, e.g. vsftpd require_ssl_reuse=NO)";
        }
        var failure = reply.Code switch
        {
            530 or 331 or 332 => RemoteFailure.Authentication,
            550 when reply.Text.Contains("ermission", StringComparison.Ordinal) => RemoteFailure.PermissionDenied,
            553 => RemoteFailure.PermissionDenied,
            550 => RemoteFailure.NotFound,
            421 or 425 or 426 => RemoteFailure.Connection,
            _ => RemoteFailure.Refused,
        };
        return new RemoteFileException(failure, text);
    }

    private static CancellationTokenSource Timeout(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(timeout);
        return source;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_control.Connected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _stream.WriteAsync("QUIT\r\n"u8.ToArray(), quick.Token);
            }
        }
        catch (Exception ex) when (FtpConnector.IsNetwork(ex) || ex is OperationCanceledException)
        {
            // Closing anyway.
        }
        await _stream.DisposeAsync();
        _control.Dispose();
    }
}
