using NUnit.Framework;

namespace CrossBorderHub.Testing;

/// <summary>
/// A throw-away PostgreSQL server from Debian's binaries: initdb in a temp folder, pg_ctl start on a free loopback
/// port, stopped by its process id. initdb refuses root, so as root it runs as the 'postgres' user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _binaries;
    private readonly string _options;

    private PostgresServer(string folder, int port, string binaries, string options)
    {
        _folder = folder;
        Port = port;
        _binaries = binaries;
        _options = options;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=hub;Database=postgres;Pooling=true;Timeout=15";

    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = RequiredTool.Find("initdb", "postgresql", "/usr/lib/postgresql/*/bin/initdb");
        var binaries = Path.GetDirectoryName(initdb)!;
        var folder = Directory.CreateTempSubdirectory("hub-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await Run("chown", ["postgres:postgres", folder]);
        }
        var port = FreePort.Next();
        var data = Path.Combine(folder, "data");
        await Run(asRoot ? "runuser" : initdb, Prefix(asRoot, initdb, ["-D", data, "-A", "trust", "-U", "hub", "--no-sync", "-E", "UTF8", "--locale=C"]));
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var pgCtl = Path.Combine(binaries, "pg_ctl");
        await Run(asRoot ? "runuser" : pgCtl, Prefix(asRoot, pgCtl, ["-D", data, "-o", options, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "start"]));
        return new PostgresServer(folder, port, binaries, options);
    }

    /// <summary>`pg_ctl stop -m fast`: open sessions are terminated and new ones refused, as in a database restart.</summary>
    public Task StopAsync() => PgCtl(["stop", "-m", "fast", "-w", "-t", "60"]);

    /// <summary>Starts the stopped server again on the same port and data folder.</summary>
    public Task RestartAsync() => PgCtl(["-o", _options, "-l", Path.Combine(_folder, "log"), "start", "-w", "-t", "60"]);

    private Task PgCtl(string[] args)
    {
        var pgCtl = Path.Combine(_binaries, "pg_ctl");
        var asRoot = Environment.UserName == "root";
        return Run(asRoot ? "runuser" : pgCtl, Prefix(asRoot, pgCtl, ["-D", Path.Combine(_folder, "data"), .. args]));
    }

    private static string[] Prefix(bool asRoot, string program, string[] args) => asRoot ? ["-u", "postgres", "--", program, .. args] : args;

    private static async Task Run(string file, string[] args)
    {
        var result = await ProcessRunner.RunAsync(file, args, TimeSpan.FromSeconds(90), "/tmp");
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{file} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Output} {result.Error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_folder, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
        {
            // SIGINT is PostgreSQL's "fast" shutdown; the server removes postmaster.pid when it has stopped.
            await ServerProcess.SignalAsync(pid, "INT", () => !File.Exists(pidFile), TimeSpan.FromSeconds(30));
        }
        TempFolder.Delete(_folder);
    }
}
