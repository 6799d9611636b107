using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrossBorderHub.Testing;

/// <summary>
/// A server program a test starts in the foreground: its output is kept for the failure message, the start returns
/// when its port listens, and it is stopped by its process id with every process it forked (sshd and vsftpd fork one
/// per session), so nothing outlives the test run.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> and waits until 127.0.0.1:<paramref name="port"/> accepts a connection.</summary>
    public static async Task<ServerProcess> StartAsync(string file, IEnumerable<string> arguments, int port, TimeSpan timeout,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var server = new ServerProcess(Process.Start(ProcessRunner.StartInfo(file, arguments, workingDirectory, environment))!);
        try
        {
            await WaitForPortAsync(port, timeout, server);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="signal"/> to a server that runs in the background (by the id in its pid file) and waits until it reports it has stopped.</summary>
    public static async Task SignalAsync(int pid, string signal, Func<bool> stopped, TimeSpan timeout)
    {
        await ProcessRunner.RunAsync("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        for (var deadline = DateTime.UtcNow + timeout; !stopped() && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
        }
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout, ServerProcess server)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {server._process.ExitCode} before listening on {port}: {server.Log}");
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
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout}: {server.Log}");
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>Kills the server and every process it started (not gracefully: as a crash of the partner's server).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
