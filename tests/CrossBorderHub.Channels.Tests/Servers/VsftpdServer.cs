using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CrossBorderHub.Channels.Tests.Servers;

/// <summary>
/// A real vsftpd for explicit FTPS in a temp folder, on free loopback ports (control + a passive range), with a TLS
/// certificate generated for the run; logins are the test account with its password.
/// </summary>
public sealed class VsftpdServer : IDisposable
{
    private static VsftpdServer? _shared;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private VsftpdServer(string root)
    {
        Root = root;
        var (user, password, _) = ServerHost.EnsureTestUser();
        User = user;
        Password = password;
        Port = ServerHost.FreePort();
        var passive = FreeRange(20);
        var empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(empty);
        Data = ServerHost.UserFolder(Path.Combine(root, "data"));
        var cert = Path.Combine(root, "cert.pem");
        var key = Path.Combine(root, "key.pem");
        ServerHost.Run("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hub-test-ftps",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
        CertificateSha256 = Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(cert)).RawData));
        File.WriteAllText(Path.Combine(root, "vsftpd.conf"), $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={Port}
            background=NO
            anonymous_enable=NO
            local_enable=YES
            write_enable=YES
            local_umask=022
            chroot_local_user=NO
            pasv_enable=YES
            pasv_address=127.0.0.1
            pasv_min_port={passive}
            pasv_max_port={passive + 19}
            seccomp_sandbox=NO
            isolate=NO
            isolate_network=NO
            secure_chroot_dir={empty}
            pam_service_name=vsftpd
            userlist_enable=NO
            ssl_enable=YES
            rsa_cert_file={cert}
            rsa_private_key_file={key}
            allow_anon_ssl=NO
            force_local_logins_ssl=YES
            force_local_data_ssl=YES
            require_ssl_reuse=NO
            ssl_ciphers=HIGH
            xferlog_enable=NO
            vsftpd_log_file={root}/vsftpd.log
            max_clients=100
            max_per_ip=100
            """.Replace("\r", "", StringComparison.Ordinal) + "\n");
    }

    public string Root { get; }
    public string Data { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public string CertificateSha256 { get; }

    public static VsftpdServer Shared
    {
        get
        {
            ServerHost.Require("/usr/sbin/vsftpd", "vsftpd");
            lock (typeof(VsftpdServer))
            {
                if (_shared is null)
                {
                    var server = new VsftpdServer(ServerRoots.TestRoot("vsftpd"));
                    server.StartAsync().GetAwaiter().GetResult();
                    _shared = server;
                }
                return _shared;
            }
        }
    }

    public static void StopShared()
    {
        _shared?.Dispose();
        _shared = null;
    }

    public string NewFolder(string name) => ServerHost.UserFolder(Path.Combine(Data, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/vsftpd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Root, "vsftpd.conf"));
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await ServerHost.WaitForPortAsync(Port, TimeSpan.FromSeconds(15), _process, () => { lock (_log) { return _log.ToString(); } });
    }

    /// <summary>Kills vsftpd and every session process it forked.</summary>
    public void Stop()
    {
        ServerHost.Kill(_process);
        _process = null;
    }

    public Dictionary<string, string?> Settings(string remotePath) => new()
    {
        ["Type"] = "ftp",
        ["Host"] = "127.0.0.1",
        ["Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Username"] = User,
        ["Password"] = Password,
        ["Encryption"] = "Explicit",
        ["CertificateSha256"] = CertificateSha256,
        ["RemotePath"] = remotePath,
        ["MinimumAge"] = "00:00:01",
        ["RetryBackoff"] = "00:00:00.200",
        ["ConnectAttempts"] = "3",
        ["ConnectTimeout"] = "00:00:05",
        ["OperationTimeout"] = "00:00:20",
        ["InstanceId"] = "test",
    };

    /// <summary>A block of free loopback ports for passive data connections.</summary>
    private static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = Random.Shared.Next(40000, 60000 - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }
                return start;
            }
            catch (SocketException)
            {
                // Taken: try another block.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }
        throw new InvalidOperationException("no free block of passive ports");
    }

    public void Dispose() => Stop();
}
