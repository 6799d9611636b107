using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrossBorderHub.Benchmarks.EndToEnd;

/// <summary>
/// A throw-away PostgreSQL for `bench e2e --store postgres`, started like the suite's PostgresServer
/// (tests/Shared/PostgresServer.cs: initdb in a temp folder, pg_ctl start on a free loopback port, as the 'postgres'
/// user when running as root, because initdb and pg_ctl refuse root) but with PostgreSQL's durable defaults: fsync,
/// synchronous_commit and full_page_writes stay on, or the figures would not compare with SQLite's. Only memory and
/// checkpoint spacing are raised, which change no durability promise. Stopped by the postmaster's pid.
/// </summary>
internal sealed class BenchPostgres
{
    // /proc/<pid>/stat counts in USER_HZ, which the kernel exports as 100 on every Linux architecture.
    private const double TicksPerSecond = 100;

    // shared_buffers: the whole bench's data stays in memory (as on a sized server); max_wal_size: no checkpoint forced
    // by WAL volume in the middle of a run (checkpoint_timeout's 5 min still applies). Both keep fsync on every commit.
    private const string Settings = "-c shared_buffers=256MB -c max_wal_size=2GB";

    // BENCH_PG_STATEMENTS=1: pg_stat_statements loaded, and the run ends with the statements the hub sent per interchange.
    private static readonly bool TrackStatements = Environment.GetEnvironmentVariable("BENCH_PG_STATEMENTS") == "1";

    private readonly string _folder;
    private int _stopped;

    private BenchPostgres(string folder, int port, int pid)
    {
        _folder = folder;
        Port = port;
        Pid = pid;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id: every backend, the WAL writer and the checkpointer are its children.</summary>
    public int Pid { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=hub;Database=postgres;Timeout=15";

    public string LogFile => Path.Combine(_folder, "log");

    /// <summary>initdb's path (PATH first, then Debian's /usr/lib/postgresql/VERSION/bin, newest version), or null.</summary>
    public static string? FindInitdb()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "initdb")).FirstOrDefault(File.Exists);
        if (onPath is not null || !Directory.Exists("/usr/lib/postgresql"))
        {
            return onPath;
        }
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin", "initdb")).Where(File.Exists)
            .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : 0)
            .FirstOrDefault();
    }

    public static async Task<BenchPostgres> StartAsync(string initdb)
    {
        var binaries = Path.GetDirectoryName(initdb)!;
        var folder = Directory.CreateTempSubdirectory("hub-bench-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", folder]);
        }
        var data = Path.Combine(folder, "data");
        // --no-sync only skips initdb's final flush of the fresh cluster; the running server keeps fsync on.
        await RunAsync(asRoot ? "runuser" : initdb, Prefix(asRoot, initdb, ["-D", data, "-A", "trust", "-U", "hub", "--no-sync", "-E", "UTF8", "--locale=C"]));
        var port = FreePort();
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {Settings}{(TrackStatements ? " -c shared_preload_libraries=pg_stat_statements" : "")}";
        var pgCtl = Path.Combine(binaries, "pg_ctl");
        await RunAsync(asRoot ? "runuser" : pgCtl, Prefix(asRoot, pgCtl, ["-D", data, "-o", options, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "start"]));
        var pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return new BenchPostgres(folder, port, pid);
    }

    /// <summary>
    /// CPU seconds used so far by the postmaster and all its processes: its own time, the time of children that exited
    /// (cutime/cstime, which a backend adds when the postmaster reaps it) and the time of the children still running.
    /// The difference of two readings is PostgreSQL's CPU between them, even when backends come and go in between.
    /// </summary>
    public double CpuSeconds()
    {
        var own = Stat(Pid);
        if (own is null)
        {
            return double.NaN;
        }
        var ticks = own.Value.Utime + own.Value.Stime + own.Value.Cutime + own.Value.Cstime;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && pid != Pid && Stat(pid) is { } child && child.Ppid == Pid)
            {
                ticks += child.Utime + child.Stime;
            }
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>Transactions committed in all databases (read-only ones included), WAL fsyncs and WAL bytes so far (pg_stat_database, pg_stat_wal).</summary>
    public async Task<WalCounters> CountersAsync()
    {
        // Backends report their counters at most once a second, and when idle: wait for the last ones of the run.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using var connection = new NpgsqlConnection($"{ConnectionString};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT sum(xact_commit) FROM pg_stat_database)::bigint, wal_sync, wal_bytes::bigint FROM pg_stat_wal", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new WalCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>With BENCH_PG_STATEMENTS=1, forgets the statements counted so far (call before the measured run).</summary>
    public async Task ResetStatementsAsync()
    {
        if (TrackStatements)
        {
            await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();");
        }
    }

    /// <summary>With BENCH_PG_STATEMENTS=1, the statements most called since the reset, per interchange.</summary>
    public async Task PrintStatementsAsync(int count)
    {
        if (!TrackStatements)
        {
            return;
        }
        await using var connection = new NpgsqlConnection($"{ConnectionString};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_statements ORDER BY calls DESC LIMIT 15", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine("  statements     calls per interchange, server ms per call, statement (pg_stat_statements)");
        while (await reader.ReadAsync())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {reader.GetInt64(0) / (double)count,6:F2} {reader.GetDouble(1) / Math.Max(1, reader.GetInt64(0)),7:F3}  {reader.GetString(2)}"));
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection($"{ConnectionString};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// SIGINT to the postmaster ("fast" shutdown: sessions ended, a checkpoint, exit), SIGKILL after 30 s; then the
    /// folder is removed unless kept. Safe to call twice and from a signal handler (the second call does nothing).
    /// </summary>
    public void Stop(bool keepFolder)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        try
        {
            using var server = Process.GetProcessById(Pid);
            using (var kill = Process.Start("kill", ["-INT", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            if (!server.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                server.Kill();
                server.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (ArgumentException)
        {
            // Already gone (GetProcessById finds no such process).
        }
        if (!keepFolder)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"bench e2e: could not remove {_folder}: {ex.Message}");
            }
        }
    }

    public readonly record struct WalCounters(long Commits, long WalSyncs, long WalBytes)
    {
        public static WalCounters operator -(WalCounters after, WalCounters before) =>
            new(after.Commits - before.Commits, after.WalSyncs - before.WalSyncs, after.WalBytes - before.WalBytes);
    }

    private readonly record struct ProcStat(int Ppid, long Utime, long Stime, long Cutime, long Cstime);

    private static ProcStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited between the listing and the read
        }
        // "pid (comm) state ppid ... utime stime cutime cstime ...": comm may hold spaces, so split after its ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }

    private static string[] Prefix(bool asRoot, string program, string[] args) => asRoot ? ["-u", "postgres", "--", program, .. args] : args;

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = "/tmp", RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output} {await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
