using System.Net.Sockets;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>
/// What can be checked of deploy/systemd without running systemd in a container: the unit parses cleanly, and the
/// hub speaks the Type=notify protocol (READY=1 on NOTIFY_SOCKET once started, STOPPING=1 on SIGTERM).
/// </summary>
public sealed class SystemdTests
{
    private static string Unit => Path.Combine(HubProcess.RepositoryRoot, "deploy", "systemd", "crossborderhub.service");

    [Test]
    public async Task The_shipped_unit_file_verifies_without_a_warning()
    {
        var analyze = RequiredTool.Find("systemd-analyze", "systemd");
        var result = await ProcessRunner.RunAsync(analyze, ["verify", Unit], TimeSpan.FromSeconds(60));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error + result.Output, Is.Empty, "no unknown key or unparsable value");
        Assert.That(File.ReadAllText(Unit), Does.Contain("Type=notify").And.Contain("Restart=on-failure"));
    }

    [Test]
    public async Task The_hub_sends_READY_1_on_NOTIFY_SOCKET_once_started_and_STOPPING_1_on_SIGTERM()
    {
        await using var hub = new HubProcess();
        var socketPath = Path.Combine(hub.Folder, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        // The host talks to systemd only when its parent process is named systemd: a copy of sh under that name starts
        // it (the trailing command keeps sh from exec'ing dotnet in its place).
        var systemd = Path.Combine(hub.Folder, "systemd");
        File.Copy("/bin/sh", systemd);
        var info = new ProcessStartInfo(systemd) { WorkingDirectory = hub.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "dotnet \"$0\" run --config \"$1\"; exit $?", HubProcess.HubDll, hub.ConfigPath })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["NOTIFY_SOCKET"] = socketPath;
        using var process = Process.Start(info)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await ReceiveAsync(socket, TimeSpan.FromSeconds(60));
            Assert.That(ready, Does.Contain("READY=1"), $"{ready}\n{log}");
            using var http = new HttpClient();
            Assert.That((int)(await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/health/live"))).StatusCode, Is.EqualTo(200),
                "READY=1 is sent once the admin web answers");
            // SIGTERM to the hub itself (the shell's child), as systemd's KillSignal would.
            var child = File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/children").Trim();
            Process.Start("kill", ["-TERM", child])!.WaitForExit();
            var stopping = await ReceiveAsync(socket, TimeSpan.FromSeconds(30));
            Assert.That(stopping, Does.Contain("STOPPING=1"), $"{stopping}\n{log}");
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            await process.WaitForExitAsync(exit.Token);
            Assert.That(process.ExitCode, Is.EqualTo(0), log.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            return Encoding.UTF8.GetString(buffer, 0, count);
        }
        catch (OperationCanceledException)
        {
            return $"(nothing on NOTIFY_SOCKET within {timeout.TotalSeconds} s)";
        }
    }
}
