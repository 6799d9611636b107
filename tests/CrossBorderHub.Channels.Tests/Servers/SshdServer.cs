using System.Diagnostics;
using System.Text;

namespace CrossBorderHub.Channels.Tests.Servers;

/// <summary>
/// A real OpenSSH sshd in a temp folder on a free loopback port, with a host key and a user key made for the run.
/// Logins are as the test account (password or key); the SFTP subsystem is internal-sftp.
/// </summary>
public sealed class SshdServer : IDisposable
{
    private static SshdServer? _shared;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private SshdServer(string root)
    {
        Root = root;
        var (user, password, _) = ServerHost.EnsureTestUser();
        User = user;
        Password = password;
        Port = ServerHost.FreePort();
        HostKey = Path.Combine(root, "ssh_host_ed25519_key");
        UserKey = Path.Combine(root, "user_key");
        ServerHost.Run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", HostKey);
        ServerHost.Run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", UserKey);
        File.Copy(UserKey + ".pub", Path.Combine(root, "authorized_keys"));
        // "256 SHA256:abc... comment (ED25519)"
        HostKeySha256 = ServerHost.Run("/usr/bin/ssh-keygen", "-l", "-f", HostKey + ".pub").Split(' ')[1];
        Data = ServerHost.UserFolder(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "sshd_config"), $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {HostKey}
            PidFile {root}/sshd.pid
            AuthorizedKeysFile {root}/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin no
            AllowUsers {user}
            Subsystem sftp internal-sftp
            MaxStartups 100:30:200
            MaxSessions 50
            LogLevel ERROR
            """);
        Directory.CreateDirectory("/run/sshd");
    }

    public string Root { get; }
    public string Data { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public string HostKey { get; }
    public string UserKey { get; }
    public string HostKeySha256 { get; }

    /// <summary>One sshd for the whole test run, started on first use, stopped by <see cref="ServersTeardown"/>.</summary>
    public static SshdServer Shared
    {
        get
        {
            ServerHost.Require("/usr/sbin/sshd", "openssh-server");
            lock (typeof(SshdServer))
            {
                if (_shared is null)
                {
                    var server = new SshdServer(ServerRoots.TestRoot("sshd"));
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

    /// <summary>A new folder for one test, owned by the login user.</summary>
    public string NewFolder(string name) => ServerHost.UserFolder(Path.Combine(Data, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", Path.Combine(Root, "sshd_config") })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        await ServerHost.WaitForPortAsync(Port, TimeSpan.FromSeconds(15), _process, () => { lock (_log) { return _log.ToString(); } });
    }

    /// <summary>Stops sshd and every session it serves (a crash or restart of the partner's server).</summary>
    public void Stop()
    {
        ServerHost.Kill(_process);
        _process = null;
    }

    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    public Dictionary<string, string?> Settings(string remotePath, bool password = false) => new()
    {
        ["Type"] = "sftp",
        ["Host"] = "127.0.0.1",
        ["Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Username"] = User,
        ["Password"] = password ? Password : null,
        ["PrivateKeyPath"] = password ? null : UserKey,
        ["HostKeySha256"] = HostKeySha256,
        ["RemotePath"] = remotePath,
        ["MinimumAge"] = "00:00:01",
        ["RetryBackoff"] = "00:00:00.200",
        ["ConnectAttempts"] = "3",
        ["ConnectTimeout"] = "00:00:05",
        ["InstanceId"] = "test",
    };

    public void Dispose() => Stop();
}
