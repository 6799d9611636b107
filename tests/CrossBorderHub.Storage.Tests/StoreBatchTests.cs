using CrossBorderHub.Core.Documents;
using CrossBorderHub.Storage.Sqlite;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Issue 17: the pipeline batch (one SQLite transaction for a processing or delivery batch).</summary>
public sealed class StoreBatchTests
{
    private string _folder = "";
    private SqlDialect _dialect = null!;
    private DapperMessageStore _store = null!;

    [SetUp]
    public async Task Create()
    {
        _folder = Directory.CreateTempSubdirectory("hub-store-batch-").FullName;
        _dialect = await TestDatabases.SqliteAsync(_folder);
        _store = new DapperMessageStore(_dialect, TimeProvider.System);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    private async Task<string> ReceivedAsync(string hash)
    {
        var id = $"m-{hash}";
        await _store.RecordReceivedAsync(new NewMessage(id, DateTimeOffset.UtcNow, "CN", "inbound", $"{hash}.edi", hash.PadRight(64, '0'), 10),
            DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
        return id;
    }

    // What another process (the CLI, the admin) sees: a fresh store over the same file, outside the batch's flow.
    private async Task<MessageStatus?> SeenElsewhereAsync(string id) =>
        (await Task.Run(() => new DapperMessageQueries(_dialect).GetAsync(id, CancellationToken.None)))?.Status;

    [Test]
    public async Task A_batch_commits_its_items_at_once_and_an_undone_item_leaves_the_others()
    {
        var (a, b, c) = (await ReceivedAsync("a1"), await ReceivedAsync("b2"), await ReceivedAsync("c3"));
        var batches = new StoreBatches(_dialect);

        await using (var batch = batches.Begin())
        {
            foreach (var (id, keep) in new[] { (a, true), (b, false), (c, true) })
            {
                await batch.BeginItemAsync(CancellationToken.None);
                await _store.TransitionAsync(id, MessageStatus.Rejected, "rejected", "test", "test", CancellationToken.None);
                Assert.That((await _store.GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Rejected), "the batch sees its own write");
                await batch.EndItemAsync(keep, CancellationToken.None);
            }
            Assert.That(await SeenElsewhereAsync(a), Is.EqualTo(MessageStatus.Received), "nothing is visible before the commit");
            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.That(await SeenElsewhereAsync(a), Is.EqualTo(MessageStatus.Rejected));
        Assert.That(await SeenElsewhereAsync(b), Is.EqualTo(MessageStatus.Received), "the undone item");
        Assert.That(await SeenElsewhereAsync(c), Is.EqualTo(MessageStatus.Rejected));
    }

    [Test]
    public async Task The_statistics_rollup_moves_at_the_commit_by_what_the_kept_items_changed_and_matches_the_full_scan()
    {
        var ids = new[] { await ReceivedAsync("r1"), await ReceivedAsync("r2"), await ReceivedAsync("r3"), await ReceivedAsync("r4") };
        var documents = new DapperDocumentStore(_dialect);
        var rollup = new DapperDocumentStatistics(_dialect);
        var scan = new ScanDocumentStatistics(_dialect);
        var byType = new StatisticsQuery([StatisticsDimension.Origin, StatisticsDimension.Type], StatisticsPeriod.Day);
        var at = DateTimeOffset.UtcNow;

        await using (var batch = new StoreBatches(_dialect).Begin())
        {
            for (var i = 0; i < ids.Length; i++)
            {
                await batch.BeginItemAsync(CancellationToken.None);
                await documents.RecordAsync(ids[i], [new BusinessDocument
                {
                    MessageIndex = 0, MessageReference = "1", Type = i % 2 == 0 ? "CUSDEC/929" : "CertificateOfOrigin", Number = $"N{i}",
                    Function = DocumentFunction.Original, FunctionCode = "9", IssuingCountry = "TH", DestinationCountry = "CN",
                }], at, CancellationToken.None);
                if (i == 3)
                {
                    await _store.TransitionAsync(ids[i], MessageStatus.Rejected, "rejected", "test", "test", CancellationToken.None);
                }
                await batch.EndItemAsync(keep: i != 1, CancellationToken.None);
            }
            var seenBefore = await Task.Run(() => rollup.QueryAsync(byType, CancellationToken.None));
            Assert.That(seenBefore.Sum(r => r.Documents), Is.Zero, "nothing of the batch is in the rollup before its commit");
            await batch.CommitAsync(CancellationToken.None);
        }

        var rows = await rollup.QueryAsync(byType, CancellationToken.None);
        Assert.That(rows.Sum(r => r.Documents), Is.EqualTo(3), "the undone item's document is not counted");
        Assert.That(rows.Sum(r => r.Rejected), Is.EqualTo(1));
        Assert.That(rows, Is.EqualTo(await scan.QueryAsync(byType, CancellationToken.None)), "the rollup answers what the full scan answers");
    }

    [Test]
    public async Task A_batch_disposed_without_a_commit_undoes_everything()
    {
        var a = await ReceivedAsync("d4");

        await using (new StoreBatches(_dialect).Begin())
        {
            await _store.TransitionAsync(a, MessageStatus.Rejected, "rejected", "test", "test", CancellationToken.None);
        }

        Assert.That(await SeenElsewhereAsync(a), Is.EqualTo(MessageStatus.Received));
        Assert.That((await _store.GetAsync(a, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Received), "the flow is out of the batch once it is disposed");
    }

    [Test]
    public async Task Inside_a_batch_a_connection_of_its_own_is_refused_at_once_instead_of_waiting_for_the_batch_lock()
    {
        await using var batch = new StoreBatches(_dialect).Begin();
        await batch.BeginItemAsync(CancellationToken.None);

        Assert.That(() => _dialect.CreateDeferredConnection(), Throws.InvalidOperationException.With.Message.Contains("Work.WriteAsync"));
    }

    [Test]
    public void Only_sqlite_batches_the_pipeline()
    {
        Assert.That(new SqliteDialect("Data Source=x").BatchesPipelineWrites, Is.True);
        Assert.That(new Postgres.PostgresDialect("Host=localhost").BatchesPipelineWrites, Is.False, "instances would queue behind each other's open batches");
        Assert.That(new StoreBatches(new Postgres.PostgresDialect("Host=localhost")).Begin(), Is.SameAs(UnbatchedStore.Instance));
    }
}
