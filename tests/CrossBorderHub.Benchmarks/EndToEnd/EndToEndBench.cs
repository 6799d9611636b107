using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace CrossBorderHub.Benchmarks.EndToEnd;

/// <summary>
/// `bench e2e`: a published hub (`hub run`, SQLite or with --store postgres a throw-away PostgreSQL, folder in,
/// codes-level validation, one route, folder out) in a temp folder; N small valid interchanges dropped (written under a
/// temporary name, then renamed in), each timed from its rename to its delivered file; beside it the disk's own durable
/// write+fsync+rename rate on the same folder (and with PostgreSQL, its CPU, commits and WAL fsyncs).
/// </summary>
internal static class EndToEndBench
{
    /// <summary>`e2e HUB_DLL [N] [DISK_OPS] [--store sqlite|postgres] [--blobs file|postgres]`.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchArguments.Parse(args) is not { } arguments)
        {
            return 2;
        }
        // The hub starts in the temp folder: a relative path (build.ps1 passes artifacts/hub/hub.dll) would not be found there.
        var hubDll = Path.GetFullPath(arguments.HubDll);
        var keep = Environment.GetEnvironmentVariable("BENCH_KEEP") == "1";
        BenchPostgres? postgres = null;
        if (arguments.Postgres)
        {
            if (BenchPostgres.FindInitdb() is not { } initdb)
            {
                Console.Error.WriteLine("bench e2e: --store postgres needs PostgreSQL's initdb, found neither on PATH nor in /usr/lib/postgresql/*/bin: install it (apt-get install postgresql)");
                return 2;
            }
            try
            {
                postgres = await BenchPostgres.StartAsync(initdb);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"bench e2e: the throw-away PostgreSQL did not start: {ex.Message}");
                return 1;
            }
        }
        // Ctrl-C or SIGTERM ends the process without running the finally blocks below: the handler kills the hub,
        // stops the postmaster (pg_ctl detaches it from the terminal's process group, so Ctrl-C never reaches it) and
        // removes the temp folder, or all three would outlive the bench.
        Process? hub = null;
        var root = Directory.CreateTempSubdirectory("hub-bench-e2e-").FullName;
        void OnSignal(PosixSignalContext context)
        {
            try
            {
                if (hub is { HasExited: false })
                {
                    hub.Kill(entireProcessTree: true);
                    hub.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
            postgres?.Stop(keep);
            if (!keep)
            {
                RemoveFolder(root);
            }
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            return await RunInAsync(root, hubDll, arguments, postgres, started => hub = started);
        }
        finally
        {
            postgres?.Stop(keep);
            // BENCH_KEEP=1 keeps the folder (hub.db, hub.log) to see per stage when each message passed.
            if (keep)
            {
                Console.WriteLine($"  kept           {root}{(postgres is null ? "" : $" (PostgreSQL's log: {postgres.LogFile})")}");
            }
            else
            {
                RemoveFolder(root);
            }
        }
    }

    private static async Task<int> RunInAsync(string root, string hubDll, BenchArguments arguments, BenchPostgres? postgres, Action<Process> started)
    {
        var (count, diskOps) = (arguments.Count, arguments.DiskOps);
        var port = FreePort();
        var config = Path.Combine(root, "hub.json");
        var store = postgres is null ? """{ "Provider": "Sqlite" }""" : $$"""{ "Provider": "Postgres", "ConnectionString": "{{postgres.ConnectionString}}" }""";
        var blobs = arguments.PostgresBlobs ? "Postgres" : "File";
        File.WriteAllText(config, Configuration(Path.Combine(root, "data"), port, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(hubDll))!, "schemas"), store, blobs));
        var drop = Directory.CreateDirectory(Path.Combine(root, "data", "drop", "CN")).FullName;
        var deliver = Directory.CreateDirectory(Path.Combine(root, "data", "deliver", "TH")).FullName;
        var disk = DiskRate(Directory.CreateDirectory(Path.Combine(root, "disk")).FullName, diskOps);

        using var log = new StreamWriter(Path.Combine(root, "hub.log"));
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { hubDll, "run", "--config", config })
        {
            info.ArgumentList.Add(argument);
        }
        using var hub = Process.Start(info)!;
        started(hub);
        hub.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        hub.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        hub.BeginOutputReadLine();
        hub.BeginErrorReadLine();
        try
        {
            if (!await ReadyAsync(port, hub))
            {
                Console.Error.WriteLine($"bench e2e: the hub did not start; see its log:\n{File.ReadAllText(Path.Combine(root, "hub.log"))}");
                return 1;
            }
            var arrivals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            using var watcher = new FileSystemWatcher(deliver) { InternalBufferSize = 64 * 1024, NotifyFilter = NotifyFilters.FileName };
            watcher.Renamed += (_, e) => Arrived(arrivals, e.Name);
            watcher.Created += (_, e) => Arrived(arrivals, e.Name);
            watcher.EnableRaisingEvents = true;

            // Idle latency: one file at a time on a quiet hub (the first warms the code paths and is not counted).
            var idle = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                var name = $"idle-{i:000}.edi";
                var dropped = DropOne(drop, name, Interchange($"IDLE{i:000000}"));
                if (!await WaitForAsync(() => arrivals.ContainsKey(name), TimeSpan.FromSeconds(30)))
                {
                    Console.Error.WriteLine($"bench e2e: {name} was not delivered within 30 s; see {root}/hub.log");
                    return 1;
                }
                if (i > 0)
                {
                    idle.Add(Stopwatch.GetElapsedTime(dropped, arrivals[name]).TotalMilliseconds);
                }
                await Task.Delay(300);
            }

            if (postgres is not null)
            {
                await postgres.ResetStatementsAsync();
            }
            var countersBefore = postgres is null ? default : await postgres.CountersAsync();
            hub.Refresh();
            var cpuBefore = hub.TotalProcessorTime;
            var postgresBefore = postgres?.CpuSeconds() ?? 0;
            var contents = Enumerable.Range(0, count).Select(i => Interchange($"B{i:000000000}")).ToArray();
            var drops = new long[count];
            var arrivedBefore = arrivals.Count;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                drops[i] = DropOne(drop, Name(i), contents[i]);
            }
            // Cheap to ask every few milliseconds: the driver shares the two cores with the hub it measures. (It used to
            // look up every name and list the delivery folder each time: over half a core at 500 msgs/s.) The folder is
            // listed once a second only, for events the watcher lost.
            var listed = Stopwatch.StartNew();
            var done = await WaitForAsync(() => arrivals.Count - arrivedBefore >= count
                || (listed.Elapsed > TimeSpan.FromSeconds(1) && Restart(listed) && Directory.GetFiles(deliver).Length >= count + idle.Count + 1),
                TimeSpan.FromSeconds(60 + count / 20.0));
            hub.Refresh();
            var cpu = (hub.TotalProcessorTime - cpuBefore).TotalSeconds;
            var postgresCpu = (postgres?.CpuSeconds() ?? 0) - postgresBefore;
            var counters = postgres is null ? default : await postgres.CountersAsync() - countersBefore;
            var peakRss = hub.PeakWorkingSet64;
            // Files whose event was lost (watcher buffer overflow) are timed at the end: the figures get worse, not better.
            var end = Stopwatch.GetTimestamp();
            var latencies = Enumerable.Range(0, count).Select(i => Stopwatch.GetElapsedTime(drops[i], arrivals.TryGetValue(Name(i), out var at) ? at : end).TotalMilliseconds).Order().ToArray();
            var last = Enumerable.Range(0, count).Max(i => arrivals.TryGetValue(Name(i), out var at) ? at : end);
            var seconds = Stopwatch.GetElapsedTime(start, last).TotalSeconds;
            var missing = count - Directory.GetFiles(deliver).Count(f => Path.GetFileName(f).Contains("-bulk-", StringComparison.Ordinal));

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench e2e: {count} interchanges of ~{contents[0].Length} bytes, hub run on {(postgres is null ? "SQLite" : "PostgreSQL")} (blobs: {blobs}), folder in -> codes validation -> one route -> folder out"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput     {count / seconds:F0} msgs/s ({seconds:F1} s from the first drop to the last delivery){(done && missing == 0 ? "" : $"; {missing} NOT DELIVERED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  latency        p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms (drop -> delivered, under load)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  idle latency   median {Percentile([.. idle.Order()], 0.5):F1} ms, max {idle.Max():F1} ms ({idle.Count} single files)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  hub CPU        {cpu:F1} s ({cpu * 1000 / count:F2} ms per interchange); peak RSS {peakRss / 1048576.0:F0} MB"));
            if (postgres is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  postgres CPU   {postgresCpu:F1} s ({postgresCpu * 1000 / count:F2} ms per interchange; the postmaster and all its processes, from /proc); hub + postgres {(cpu + postgresCpu) * 1000 / count:F2} ms per interchange"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  postgres WAL   {counters.Commits} transactions, reads included ({counters.Commits / (double)count:F1} per interchange), {counters.WalSyncs} WAL fsyncs ({counters.WalSyncs / (double)count:F2} per interchange, {counters.WalSyncs / seconds:F0}/s), {counters.WalBytes / 1048576.0:F0} MB of WAL"));
                await postgres.PrintStatementsAsync(count);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  disk           {disk:F0} durable write+fsync+rename per second, one at a time ({diskOps} x 300 bytes, same file system)"));
            return done && missing == 0 ? 0 : 1;
        }
        finally
        {
            if (!hub.HasExited)
            {
                hub.Kill(entireProcessTree: true);
                await hub.WaitForExitAsync();
            }
        }
    }

    /// <summary>Removes the run's folder; the signal handler and the normal end may both try, so either may find parts gone.</summary>
    private static void RemoveFolder(string folder)
    {
        for (var attempt = 1; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                // DirectoryNotFoundException included: the other remover took a subfolder first; go again
                Thread.Sleep(100);
            }
        }
    }

    private static string Name(int i) => $"bulk-{i:000000000}.edi";

    private static void Arrived(ConcurrentDictionary<string, long> arrivals, string? name)
    {
        // Delivered names are "<message id>-<original name>"; the folder channel writes ".<name>.part" first.
        if (name is null || name.StartsWith('.'))
        {
            return;
        }
        var original = name.IndexOf("-bulk-", StringComparison.Ordinal) is var b and >= 0 ? name[(b + 1)..]
            : name.IndexOf("-idle-", StringComparison.Ordinal) is var d and >= 0 ? name[(d + 1)..] : null;
        if (original is not null)
        {
            arrivals.TryAdd(original, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Written under an ignored temporary name, then renamed in: the file appears whole, at the returned time.</summary>
    private static long DropOne(string folder, string name, byte[] content)
    {
        var temporary = Path.Combine(folder, name + ".tmp");
        File.WriteAllBytes(temporary, content);
        var at = Stopwatch.GetTimestamp();
        File.Move(temporary, Path.Combine(folder, name));
        return at;
    }

    /// <summary>What the blob store does per file: write, fsync, rename into place. Operations per second, one at a time.</summary>
    private static double DiskRate(string folder, int operations)
    {
        var content = new byte[300];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < operations; i++)
        {
            var temporary = Path.Combine(folder, $"{i}.tmp");
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path.Combine(folder, $"{i}.blob"));
        }
        return operations / watch.Elapsed.TotalSeconds;
    }

    /// <summary>A CUSDEC D.96B interchange valid at the codes level, unique by its reference (~300 bytes).</summary>
    private static byte[] Interchange(string reference) => Encoding.ASCII.GetBytes(
        $"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+{reference}'" +
        $"UNH+1+CUSDEC:D:96B:UN'BGM+830+{reference}+9'DTM+137:20261123:102'" +
        "NAD+DT+++Shenzhen Export Co?+ Ltd+Street 1+Shenzhen++518000+CN'NAD+CN+++Bangkok Import Co Ltd+Road 2+Bangkok++10110+TH'" +
        "UNS+D'UNS+S'UNT+8+1'" +
        $"UNZ+1+{reference}'\r\n");

    private static string Configuration(string data, int port, string schemas, string store, string blobs) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft": "Warning", "Quartz": "Warning" } },
          "Hub": {
            "DataRoot": "{{data.Replace("\\", "/", StringComparison.Ordinal)}}",
            "Store": {{store}},
            "Blobs": { "Provider": "{{blobs}}" },
            "Admin": { "Url": "http://127.0.0.1:{{port}}" },
            "Processing": { "SchemasPath": "{{schemas.Replace("\\", "/", StringComparison.Ordinal)}}" },
            "Partners": {
              "CN": { "Country": "CN", "Identifiers": [ "CNSW" ], "Validation": "codes",
                      "Inbound": { "Type": "folder", "Path": "drop/CN", "Schedule": "00:00:01", "MinimumAge": "00:00:00", "StableInterval": "00:00:00" } },
              "TH": { "Country": "TH", "Identifiers": [ "THSW" ], "Validation": "codes", "Outbound": { "Type": "folder", "Path": "deliver/TH" } }
            },
            "Routes": [ { "Name": "EDIFACT to Thailand", "Recipient": "THSW", "To": [ "TH" ] } ]
          }
        }
        """;

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task<bool> ReadyAsync(int port, Process hub)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300 && !hub.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the timeout.
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static bool Restart(Stopwatch watch)
    {
        watch.Restart();
        return true;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(5);
        }
        return condition();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
