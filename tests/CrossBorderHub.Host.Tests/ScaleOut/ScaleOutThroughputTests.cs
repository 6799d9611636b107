using System.Globalization;
using CrossBorderHub.Testing.Servers;

namespace CrossBorderHub.Host.Tests.ScaleOut;

/// <summary>
/// The throughput figures of docs/benchmarks.md ("Several instances"): the failover cluster without failures, with 1,
/// 2 and 3 instances running, all files sent at once (about a second), timed from the first send to the last delivery.
/// Explicit (about a minute per instance count): `dotnet test --filter FullyQualifiedName~ScaleOutThroughput`;
/// HUB_SCALEOUT_FILES sets the count (default 1,500, a third per channel).
/// </summary>
[Explicit("benchmark: run on its own, figures go to docs/benchmarks.md")]
[NonParallelizable]
public sealed class ScaleOutThroughputTests
{
    private PostgresServer? _postgres;

    private static int Files => int.TryParse(Environment.GetEnvironmentVariable("HUB_SCALEOUT_FILES"), CultureInfo.InvariantCulture, out var files) ? files : 1500;

    [OneTimeSetUp]
    public async Task StartServers() => _postgres = await PostgresServer.StartAsync();

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

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Files_per_second_with_several_instances(int instances)
    {
        await using var cluster = await FailoverCluster.CreateAsync(_postgres!, instances);
        var references = FailoverCluster.References(Files);
        await cluster.StartAsync();
        var clock = Stopwatch.StartNew();
        var (connection, rabbit) = await cluster.RabbitAsync();
        await using (connection)
        await using (rabbit)
        {
            for (var i = 0; i < references.Count; i++)
            {
                await cluster.SendAsync(i, references[i], rabbit);
            }
        }
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(cluster.Delivered().Length >= references.Count), TimeSpan.FromMinutes(5)), Is.True,
            $"{cluster.Delivered().Length} of {references.Count} delivered:\n{cluster.Logs()}");
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.That(cluster.DeliveredReferences().Order(StringComparer.Ordinal), Is.EqualTo(references));
        var spans = await cluster.ColumnAsync(
            "SELECT source_partner || ': ' || count(*) || ' received over ' || round((max(received_at) - min(received_at)) / 1000.0, 1) || ' s, last delivered ' || round((max(updated_at) - min(received_at)) / 1000.0, 1) || ' s after the first arrived' FROM hub_messages GROUP BY source_partner ORDER BY 1");
        TestContext.Out.WriteLine(string.Join("; ", spans));
        TestContext.Out.WriteLine($"SCALEOUT instances={instances} files={references.Count} seconds={seconds:F1} files_per_second={references.Count / seconds:F1}");
    }
}
