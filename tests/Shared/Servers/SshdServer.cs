namespace CrossBorderHub.Testing.Servers;

/// <summary>
/// A real OpenSSH sshd in a temp folder on a free loopback port, with a host key and a user key made for the run.
/// Logins are as the test account (password or key); the SFTP subsystem is internal-sftp.
/// </summary>
public sealed class SshdServer : FileTransferServer
{
    private static readonly SharedServer<SshdServer> Instance = new(() => new SshdServer(TempFolder.InRun("sshd")));
    private readonly string _sshd;

    private SshdServer(string root)
        : base(root, TestAccount.Ensure())
    {
        _sshd = RequiredTool.Find("sshd", "openssh-server", "/usr/sbin/sshd");
        var keygen = RequiredTool.Find("ssh-keygen", "openssh-client", "/usr/bin/ssh-keygen");
        HostKey = Path.Combine(root, "ssh_host_ed25519_key");
        UserKey = Path.Combine(root, "user_key");
        ProcessRunner.Output(keygen, "-q", "-t", "ed25519", "-N", "", "-f", HostKey);
        ProcessRunner.Output(keygen, "-q", "-t", "ed25519", "-N", "", "-f", UserKey);
        File.Copy(UserKey + ".pub", Path.Combine(root, "authorized_keys"));
        // "256 SHA256:abc... comment (ED25519)"
        HostKeySha256 = ProcessRunner.Output(keygen, "-l", "-f", HostKey + ".pub").Split(' ')[1];
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
            AllowUsers {User}
            Subsystem sftp internal-sftp
            MaxStartups 100:30:200
            MaxSessions 50
            LogLevel ERROR
            """);
        Directory.CreateDirectory("/run/sshd");
    }

    public string HostKey { get; }
    public string UserKey { get; }
    public string HostKeySha256 { get; }

    /// <summary>One sshd for the whole test run, started on first use, stopped by <see cref="StopShared"/>.</summary>
    public static SshdServer Shared
    {
        get
        {
            RequiredTool.Find("sshd", "openssh-server", "/usr/sbin/sshd");
            return Instance.Get();
        }
    }

    public static void StopShared() => Instance.Stop();

    public override Task StartAsync() => StartProcessAsync(_sshd, ["-D", "-e", "-f", Path.Combine(Root, "sshd_config")], TimeSpan.FromSeconds(15));

    /// <summary>Logs in with the user key.</summary>
    public override Dictionary<string, string?> Settings(string remotePath) => Settings(remotePath, password: false);

    public Dictionary<string, string?> Settings(string remotePath, bool password)
    {
        var settings = FolderSettings("sftp", remotePath);
        settings["Password"] = password ? Password : null;
        settings["PrivateKeyPath"] = password ? null : UserKey;
        settings["HostKeySha256"] = HostKeySha256;
        return settings;
    }
}
