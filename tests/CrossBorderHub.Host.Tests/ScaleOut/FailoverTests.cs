using System.Globalization;
using CrossBorderHub.Testing.Servers;

namespace CrossBorderHub.Host.Tests.ScaleOut;

/// <summary>
/// Issue 17: three instances on one PostgreSQL, files arriving over folder, SFTP and RabbitMQ; one instance is
/// killed (SIGKILL) mid-run and another stopped (SIGTERM). Every file must be delivered exactly once, nothing may be
/// left stuck, and what the killed instance held must be taken over within the lease. HUB_FAILOVER_FILES sets the
/// count: 300 by default, about two minutes on the 2-core CI machine shared with other builds (1,000 takes about four,
/// beyond the suite's budget: run it with HUB_FAILOVER_FILES=1000).
/// </summary>
[NonParallelizable]
public sealed class FailoverTests
{
    private PostgresServer? _postgres;

    private static int Files => int.TryParse(Environment.GetEnvironmentVariable("HUB_FAILOVER_FILES"), CultureInfo.InvariantCulture, out var files) ? files : 300;

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

    [Test]
    [CancelAfter(300_000)]
    public async Task Three_instances_deliver_every_file_exactly_once_when_one_is_killed_and_another_stopped()
    {
        await using var cluster = await FailoverCluster.CreateAsync(_postgres!, instances: 3);
        await cluster.StartAsync();
        var references = FailoverCluster.References(Files);
        var (connection, rabbit) = await cluster.RabbitAsync();
        await using (connection)
        await using (rabbit)
        {
            var clock = Stopwatch.StartNew();
            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < references.Count; i++)
                {
                    await cluster.SendAsync(i, references[i], rabbit);
                    if (i % 50 == 49)
                    {
                        await Task.Delay(250); // arrivals spread over the run, so the kill and the stop land mid-flow
                    }
                }
            });
            var (killed, stopped, survivor) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);

            await WaitForAsync(cluster, references.Count / 4, cluster.Logs);
            var heldByKilled = await cluster.ColumnAsync(
                "SELECT id FROM hub_messages WHERE lease_owner = 'node-a' AND status = 'Received' UNION SELECT message_id FROM hub_deliveries WHERE lease_owner = 'node-a' AND state = 'Pending'");
            await killed.KillAsync();
            var killedAt = clock.Elapsed;
            await WaitForAsync(cluster, references.Count / 2, cluster.Logs);
            Assert.That(await stopped.StopAsync(), Is.EqualTo(0), "SIGTERM is a clean stop:\n" + stopped.Log);
            await sending;
            Assert.That(await HubProcess.EventuallyAsync(async () => await OpenAsync(cluster, heldByKilled) == 0, FailoverCluster.Lease * 3), Is.True,
                $"what node-a held when it was killed ({heldByKilled.Count} rows) was not taken over:\n{survivor.Log}");
            var takenOverAfter = clock.Elapsed - killedAt;

            await WaitForAsync(cluster, references.Count, () => survivor.Log);
            var total = clock.Elapsed;
            await Task.Delay(2000); // a late double delivery would show now

            var delivered = cluster.DeliveredReferences();
            Assert.That(delivered, Has.Count.EqualTo(references.Count), "a file was delivered twice or not at all");
            Assert.That(delivered.Order(StringComparer.Ordinal), Is.EqualTo(references), "the delivered interchanges are exactly those sent");
            // A copy taken again after the kill (stored, not yet removed from its source) is still being found a
            // duplicate now; stuck is what stays open beyond three lease times.
            const string Open = "SELECT source_partner || '/' || source_channel || ' ' || remote_name || ' ' || status || ' ' || coalesce(lease_owner, '-') FROM hub_messages WHERE status IN ('Received', 'Routed') ORDER BY received_at";
            await HubProcess.EventuallyAsync(async () => (await cluster.ColumnAsync(Open)).Count == 0, FailoverCluster.Lease * 3);
            Assert.That(await cluster.ColumnAsync(Open), Is.Empty, "messages stuck");
            Assert.That(await cluster.ScalarAsync<long>("SELECT count(*) FROM hub_deliveries WHERE state <> 'Delivered'"), Is.Zero, "deliveries stuck or failed");
            Assert.That(await cluster.ScalarAsync<long>("SELECT count(*) FROM hub_messages WHERE status = 'Delivered'"), Is.EqualTo(references.Count));
            TestContext.Out.WriteLine($"{references.Count} files over folder/SFTP/RabbitMQ, 3 instances (one SIGKILL, one SIGTERM): {total.TotalSeconds:F1} s, " +
                $"{references.Count / total.TotalSeconds:F0} files/s; {heldByKilled.Count} leases of the killed instance taken over {takenOverAfter.TotalSeconds:F1} s after the kill (lease {FailoverCluster.Lease.TotalSeconds:F0} s)");
        }
    }

    /// <summary>How many of <paramref name="ids"/> are not done yet (still Received or Routed).</summary>
    private static async Task<long> OpenAsync(FailoverCluster cluster, List<string> ids) =>
        ids.Count == 0 ? 0 : await cluster.ScalarAsync<long>(
            $"SELECT count(*) FROM hub_messages WHERE status IN ('Received', 'Routed') AND id IN ({string.Join(",", ids.Select(i => $"'{i.Replace("'", "''", StringComparison.Ordinal)}'"))})");

    private static async Task WaitForAsync(FailoverCluster cluster, int count, Func<string> log)
    {
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(cluster.Delivered().Length >= count), TimeSpan.FromSeconds(150)), Is.True,
            $"{cluster.Delivered().Length} of {count} delivered:\n{log()}");
    }
}
