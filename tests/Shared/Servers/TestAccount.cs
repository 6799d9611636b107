namespace CrossBorderHub.Testing.Servers;

/// <summary>
/// The local account the SFTP and FTP servers log in (a non-root user, so permission-denied is testable); created
/// once, with a new random password per test run.
/// </summary>
public static class TestAccount
{
    public const string Name = "hubxfer";

    private static readonly Lock Gate = new();
    private static string? _password;

    public static (string User, string Password, int Uid) Ensure()
    {
        RequiredTool.Root("creates the local test account " + Name);
        lock (Gate)
        {
            if (_password is null)
            {
                try
                {
                    ProcessRunner.Output("/usr/bin/id", Name);
                }
                catch (InvalidOperationException)
                {
                    ProcessRunner.Output("/usr/sbin/useradd", "--no-create-home", "--shell", "/bin/sh", Name);
                }
                // vsftpd changes into the home folder at login: it must exist.
                var home = ProcessRunner.Output("/usr/bin/getent", "passwd", Name).Split(':')[5];
                Directory.CreateDirectory(home);
                ProcessRunner.Output("/bin/chown", Name + ":", home);
                var password = "pw-" + Guid.NewGuid().ToString("N")[..16];
                ProcessRunner.OutputWithInput("/usr/sbin/chpasswd", $"{Name}:{password}\n");
                _password = password;
            }
            var uid = int.Parse(ProcessRunner.Output("/usr/bin/id", "-u", Name).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return (Name, _password, uid);
        }
    }

    /// <summary>Creates a folder owned by the test account.</summary>
    public static string Folder(string path)
    {
        Directory.CreateDirectory(path);
        ProcessRunner.Output("/bin/chown", Name + ":", path);
        return path;
    }
}
