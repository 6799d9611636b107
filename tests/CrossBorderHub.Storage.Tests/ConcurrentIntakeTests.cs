using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// Found by the failover test: concurrent intakes on PostgreSQL aborted each other's SERIALIZABLE transaction
/// (40001), which the hub took for a store outage (backoff, abandoned SFTP polls, files taken again). The store now
/// runs a conflicting transaction again; the duplicate rule it protects still holds.
/// </summary>
[NonParallelizable]
public sealed class ConcurrentIntakeTests
{
    private PostgresServer? _server;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static NewMessage New(string hash) =>
        new(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, "SG", "inbound", "f.edi", hash.PadRight(64, '0'), 10);

    [Test]
    public async Task Many_intakes_at_once_are_all_stored_and_the_same_bytes_only_once_as_received()
    {
        var store = new DapperMessageStore(await TestDatabases.PostgresAsync(_server!), TimeProvider.System);
        var since = DateTimeOffset.UtcNow.AddDays(-1);

        var distinct = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => store.RecordReceivedAsync(New($"{i:x2}"), since, CancellationToken.None))));
        var same = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.RecordReceivedAsync(New("ff"), since, CancellationToken.None))));

        Assert.That(distinct.Select(m => m.Status), Is.All.EqualTo(MessageStatus.Received));
        Assert.That(same.Count(m => m.Status == MessageStatus.Received), Is.EqualTo(1), "the same bytes twice were both taken as new");
        Assert.That(same.Count(m => m.Status == MessageStatus.Duplicate), Is.EqualTo(15));
    }

    /// <summary>Merging the batched intake (one commit per folder poll) with the retry above: batches conflict as well.</summary>
    [Test]
    public async Task Many_batched_intakes_at_once_are_all_stored_and_the_same_bytes_only_once_as_received()
    {
        var store = new DapperMessageStore(await TestDatabases.PostgresAsync(_server!), TimeProvider.System);
        var since = DateTimeOffset.UtcNow.AddDays(-1);

        var batches = await Task.WhenAll(Enumerable.Range(0, 12).Select(b => Task.Run(() =>
            store.RecordReceivedManyAsync([.. Enumerable.Range(0, 8).Select(i => New($"b{b:x2}{i:x2}")), New("ee")], since, CancellationToken.None))));

        var statuses = batches.SelectMany(b => b).ToList();
        Assert.That(statuses, Has.Count.EqualTo(12 * 9));
        Assert.That(batches.SelectMany(b => b.Take(8)), Is.All.EqualTo(MessageStatus.Received));
        Assert.That(batches.Count(b => b[8] == MessageStatus.Received), Is.EqualTo(1), "the same bytes in two batches were both taken as new");
    }
}
