using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Testing.Servers;

/// <summary>
/// A real vsftpd for explicit FTPS in a temp folder, on free loopback ports (control + a passive range), with a TLS
/// certificate generated for the run; logins are the test account with its password.
/// </summary>
public sealed class VsftpdServer : FileTransferServer
{
    private static readonly SharedServer<VsftpdServer> Instance = new(() => new VsftpdServer(TempFolder.InRun("vsftpd")));
    private readonly string _vsftpd;

    private VsftpdServer(string root)
        : base(root, TestAccount.Ensure())
    {
        _vsftpd = RequiredTool.Find("vsftpd", "vsftpd", "/usr/sbin/vsftpd");
        var passive = FreePort.Block(20);
        var empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(empty);
        var cert = Path.Combine(root, "cert.pem");
        var key = Path.Combine(root, "key.pem");
        ProcessRunner.Output(RequiredTool.Find("openssl", "openssl", "/usr/bin/openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=hub-test-ftps", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
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

    public string CertificateSha256 { get; }

    /// <summary>One vsftpd for the whole test run, started on first use, stopped by <see cref="StopShared"/>.</summary>
    public static VsftpdServer Shared
    {
        get
        {
            RequiredTool.Find("vsftpd", "vsftpd", "/usr/sbin/vsftpd");
            return Instance.Get();
        }
    }

    public static void StopShared() => Instance.Stop();

    public override Task StartAsync() => StartProcessAsync(_vsftpd, [Path.Combine(Root, "vsftpd.conf")], TimeSpan.FromSeconds(15));

    public override Dictionary<string, string?> Settings(string remotePath)
    {
        var settings = FolderSettings("ftp", remotePath);
        settings["Encryption"] = "Explicit";
        settings["CertificateSha256"] = CertificateSha256;
        settings["OperationTimeout"] = "00:00:20";
        return settings;
    }
}
