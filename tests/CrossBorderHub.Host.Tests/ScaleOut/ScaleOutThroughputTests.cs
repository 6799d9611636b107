using System.Globalization;
using CrossBorderHub.Testing.Servers;

namespace CrossBorderHub.Host.Tests.ScaleOut;

/// <summary>
/// The scale-out figures of docs/scale-out.md ("Sizing"): the failover cluster without failures (one PostgreSQL for
/// store, payloads and scheduler; a shared folder, a real sshd and a real RabbitMQ in, a folder out) with 1, 2 and 3
/// instances, the same files each time, timed from the first send to the last delivery. The instance counts take turns
/// within each round (1, 2, 3, 1, 2, 3, ...) so a busier minute on a shared machine hits every count alike, and the
/// median of the rounds is printed. Each run first delivers a few files not timed, so what is timed is the flow, not
/// the first call of each code path. Run it with `./build.sh bench scaleout [FILES] [RUNS]` (HUB_SCALEOUT_FILES, 1,000
/// by default as in the failover test; HUB_SCALEOUT_RUNS, 3 by default); every run checks that each file was delivered
/// exactly once.
/// </summary>
[Explicit("benchmark: ./build.sh bench scaleout; figures go to docs/scale-out.md")]
[NonParallelizable]
public sealed class ScaleOutThroughputTests
{
    private const int WarmUpFiles = 30;
    private PostgresServer? _postgres;

    private static int Files => Setting("HUB_SCALEOUT_FILES", 1000);

    private static int Runs => Setting("HUB_SCALEOUT_RUNS", 3);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        var postgres = PostgresServer.StartAsync();
        await Task.WhenAll(postgres, Task.Run(() => SshdServer.Shared), Task.Run(() => RabbitMqServer.Shared));
        _postgres = await postgres;
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        SshdServer.StopShared();
        RabbitMqServer.StopShared();
    }

    [Test]
    public async Task Files_per_second_with_1_2_and_3_instances()
    {
        int[] counts = [1, 2, 3];
        var figures = counts.ToDictionary(c => c, _ => new List<double>());
        Report($"SCALEOUT {Files} files a run (a third each over folder, SFTP, RabbitMQ), {Runs} rounds of 1, 2, 3 instances; {Environment.ProcessorCount} cores, load {Load()}");
        for (var round = 1; round <= Runs; round++)
        {
            foreach (var instances in counts)
            {
                var (seconds, spans) = await MeasureAsync(instances);
                figures[instances].Add(Files / seconds);
                Report($"SCALEOUT round={round} instances={instances} files={Files} seconds={seconds:F1} files_per_second={Files / seconds:F1} load={Load()} ({spans})");
            }
        }
        Report("SCALEOUT | instances | files/s (median) | each round |");
        Report("SCALEOUT | --- | ---: | --- |");
        foreach (var instances in counts)
        {
            var each = string.Join(", ", figures[instances].Select(f => f.ToString("F1", CultureInfo.InvariantCulture)));
            Report($"SCALEOUT | {instances} | {Median(figures[instances]):F1} | {each} |");
        }
    }

    /// <summary>One run on a fresh database: warm-up files delivered first, then the timed ones sent at once.</summary>
    private async Task<(double Seconds, string Spans)> MeasureAsync(int instances)
    {
        await using var cluster = await FailoverCluster.CreateAsync(_postgres!, instances);
        var warmUp = FailoverCluster.References(WarmUpFiles, "WU");
        var references = FailoverCluster.References(Files);
        await cluster.StartAsync();
        var (connection, rabbit) = await cluster.RabbitAsync();
        await using (connection)
        await using (rabbit)
        {
            for (var i = 0; i < warmUp.Count; i++)
            {
                await cluster.SendAsync(i, warmUp[i], rabbit);
            }
            await WaitForAsync(cluster, warmUp.Count);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < references.Count; i++)
            {
                await cluster.SendAsync(i, references[i], rabbit);
            }
            await WaitForAsync(cluster, warmUp.Count + references.Count);
            var seconds = clock.Elapsed.TotalSeconds;
            Assert.That(cluster.DeliveredReferences().Order(StringComparer.Ordinal), Is.EqualTo(references.Concat(warmUp).Order(StringComparer.Ordinal)),
                "each file delivered exactly once");
            var spans = await cluster.ColumnAsync(
                "SELECT source_partner || ' ' || count(*) || ' in over ' || round((max(received_at) - min(received_at)) / 1000.0, 1) || ' s' FROM hub_messages WHERE remote_name NOT LIKE '%WU%' GROUP BY source_partner ORDER BY 1");
            return (seconds, string.Join(", ", spans));
        }
    }

    private static async Task WaitForAsync(FailoverCluster cluster, int count) =>
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(cluster.Delivered().Length >= count), TimeSpan.FromMinutes(5)), Is.True,
            $"{cluster.Delivered().Length} of {count} delivered:\n{cluster.Logs()}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    // Progress: shown as it happens (a run takes minutes), at any verbosity.
    private static void Report(string line) => TestContext.Progress.WriteLine(line);
}
