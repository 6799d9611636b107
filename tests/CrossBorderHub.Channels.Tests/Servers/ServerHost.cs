using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrossBorderHub.Testing;

namespace CrossBorderHub.Channels.Tests.Servers;

/// <summary>Helpers to run real servers: binaries, free ports, a test account, processes we start and stop by id.</summary>
public static class ServerHost
{
    public const string TestUser = "hubxfer";

    /// <summary>Missing server binary: with CI=true the test fails, otherwise it is ignored with the install command.</summary>
    public static void Require(string binary, string package)
    {
        if (File.Exists(binary))
        {
            return;
        }
        RequiredTool.Missing($"{binary} is missing: install it with `apt-get install -y {package}`.");
    }

    public static void RequireRoot(string why)
    {
        if (Environment.UserName == "root")
        {
            return;
        }
        RequiredTool.Missing($"needs root ({why}).");
    }

    public static int FreePort() => Testing.FreePort.Next();

    /// <summary>Runs a short command and returns its stdout; throws with stderr when it fails.</summary>
    public static string Run(string file, params string[] arguments) => RunWithInput(file, null, arguments);

    public static string RunWithInput(string file, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    private static string? _password;

    /// <summary>
    /// The local account the SFTP and FTP servers log in (a non-root user, so permission-denied is testable);
    /// created once, with a new random password per test run.
    /// </summary>
    public static (string User, string Password, int Uid) EnsureTestUser()
    {
        RequireRoot("creates the local test account " + TestUser);
        lock (typeof(ServerHost))
        {
            if (_password is null)
            {
                try
                {
                    Run("/usr/bin/id", TestUser);
                }
                catch (InvalidOperationException)
                {
                    Run("/usr/sbin/useradd", "--no-create-home", "--shell", "/bin/sh", TestUser);
                }
                // vsftpd changes into the home folder at login: it must exist.
                var home = Run("/usr/bin/getent", "passwd", TestUser).Split(':')[5];
                Directory.CreateDirectory(home);
                Run("/bin/chown", TestUser + ":", home);
                var password = "pw-" + Guid.NewGuid().ToString("N")[..16];
                RunWithInput("/usr/sbin/chpasswd", $"{TestUser}:{password}\n");
                _password = password;
            }
            var uid = int.Parse(Run("/usr/bin/id", "-u", TestUser).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return (TestUser, _password, uid);
        }
    }

    /// <summary>Creates a folder owned by the test account.</summary>
    public static string UserFolder(string path)
    {
        Directory.CreateDirectory(path);
        Run("/bin/chown", TestUser + ":", path);
        return path;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout, Process? process = null, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"server exited with {process.ExitCode} before listening on {port}: {diagnostics?.Invoke()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout}: {diagnostics?.Invoke()}");
    }

    /// <summary>Kills a process we started and every process it started (sshd forks one per connection).</summary>
    public static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
