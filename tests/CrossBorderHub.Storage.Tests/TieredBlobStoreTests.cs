using System.Security.Cryptography;
using CrossBorderHub.Storage.Blobs;
using Dapper;

namespace CrossBorderHub.Storage.Tests;

/// <summary>The default store (small payloads as rows of SQLite, large ones as files) passes every blob store test.</summary>
public sealed class TieredBlobStoreContractTests : BlobStoreContract
{
    private string _folder = "";

    protected override async Task<IBlobStore> CreateAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hub-blob-tiered-").FullName;
        return new TieredBlobStore(await TestDatabases.SqliteAsync(_folder), new FileBlobStore(Path.Combine(_folder, "blobs")), TimeProvider.System);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);
}

/// <summary>Issue 17: where the tiered store keeps what, and that a batch of small payloads is one commit.</summary>
public sealed class TieredBlobStoreTests
{
    private string _folder = "";
    private SqlDialect _dialect = null!;
    private FileBlobStore _files = null!;

    [SetUp]
    public async Task Create()
    {
        _folder = Directory.CreateTempSubdirectory("hub-blob-tiers-").FullName;
        _dialect = await TestDatabases.SqliteAsync(_folder);
        _files = new FileBlobStore(Path.Combine(_folder, "blobs"));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    private TieredBlobStore NewStore() => new(_dialect, _files, TimeProvider.System);

    private static async Task<byte[]> ReadAllAsync(TieredBlobStore store, string sha)
    {
        await using var read = store.OpenRead(sha);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    private long InlineRows(string sha)
    {
        using var connection = _dialect.CreateConnection();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hub_blobs b JOIN hub_blob_chunks c ON c.upload_key = b.upload_key WHERE b.sha256 = @Sha", new { Sha = sha });
    }

    [Test]
    public async Task A_payload_up_to_the_limit_is_a_store_row_and_a_larger_one_a_file()
    {
        var store = NewStore();
        var small = RandomNumberGenerator.GetBytes(TieredBlobStore.InlineLimit);
        var large = RandomNumberGenerator.GetBytes(TieredBlobStore.InlineLimit + 1);

        var a = await store.PutAsync(new MemoryStream(small), CancellationToken.None);
        var b = await store.PutAsync(new MemoryStream(large), CancellationToken.None);

        Assert.That(InlineRows(a.Sha256), Is.EqualTo(1));
        Assert.That(File.Exists(_files.PathOf(a.Sha256)), Is.False, "a small payload costs no file");
        Assert.That(InlineRows(b.Sha256), Is.Zero);
        Assert.That(File.ReadAllBytes(_files.PathOf(b.Sha256)), Is.EqualTo(large), "a large payload is a file, whole (its first bytes read to size it included)");
        // A new store instance (another process, after a restart) reads the row, not a memory copy.
        Assert.That(await ReadAllAsync(NewStore(), a.Sha256), Is.EqualTo(small));
        Assert.That(NewStore().Exists(a.Sha256), Is.True);
    }

    [Test]
    public async Task A_batch_stores_each_item_on_its_own_and_a_failing_source_fails_only_its_item()
    {
        var store = NewStore();
        var contents = Enumerable.Range(0, 20).Select(i => RandomNumberGenerator.GetBytes(i == 7 ? 100_000 : 300 + i)).ToArray();
        var sources = contents.Select((c, i) => i == 3 ? () => throw new FileNotFoundException("vanished") : (Func<Stream>)(() => new MemoryStream(c))).ToList();

        var puts = await store.PutManyAsync(sources, CancellationToken.None);

        Assert.That(puts[3].Blob, Is.Null);
        Assert.That(puts[3].Error, Is.InstanceOf<FileNotFoundException>());
        for (var i = 0; i < contents.Length; i++)
        {
            if (i == 3)
            {
                continue;
            }
            Assert.That(puts[i].Error, Is.Null, $"item {i}");
            Assert.That(puts[i].Blob!.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(contents[i]))));
            Assert.That(await ReadAllAsync(NewStore(), puts[i].Blob!.Sha256), Is.EqualTo(contents[i]), $"item {i}");
        }
        Assert.That(File.Exists(_files.PathOf(puts[7].Blob!.Sha256)), Is.True, "the large item of the batch is a file");
    }

    [Test]
    public async Task The_small_payloads_of_a_batch_are_one_commit()
    {
        var counting = new CountingDialect(_dialect);
        var store = new TieredBlobStore(counting, _files, TimeProvider.System);
        var contents = Enumerable.Range(0, 30).Select(i => RandomNumberGenerator.GetBytes(280 + i)).ToArray();

        var puts = await store.PutManyAsync(contents.Select(c => (Func<Stream>)(() => new MemoryStream(c))).ToList(), CancellationToken.None);

        Assert.That(puts.Select(p => p.Error), Is.All.Null);
        Assert.That(counting.Opened, Is.EqualTo(1), "thirty payloads, one connection and one transaction");
        Assert.That(contents.Select(c => InlineRows(Convert.ToHexStringLower(SHA256.HashData(c)))), Is.All.EqualTo(1));
    }

    [Test]
    public async Task Delete_removes_a_row_blob_and_a_file_blob()
    {
        var store = NewStore();
        var small = await store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(500)), CancellationToken.None);
        var large = await store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), CancellationToken.None);

        Assert.That(store.Delete(small.Sha256), Is.True);
        Assert.That(store.Delete(large.Sha256), Is.True);
        Assert.That(store.Delete(small.Sha256), Is.False);

        Assert.That(store.Exists(small.Sha256), Is.False, "not in the memory copy either");
        Assert.That(NewStore().Exists(small.Sha256), Is.False);
        Assert.That(store.Exists(large.Sha256), Is.False);
        Assert.That(() => store.OpenRead(small.Sha256), Throws.InstanceOf<FileNotFoundException>().Or.InstanceOf<DirectoryNotFoundException>());
    }

    /// <summary>The SQLite dialect, counting the connections the store opens (each of its writes is one transaction).</summary>
    private sealed class CountingDialect(SqlDialect inner) : SqlDialect
    {
        public int Opened;

        public override string Name => inner.Name;

        public override System.Data.Common.DbConnection CreateConnection()
        {
            Interlocked.Increment(ref Opened);
            return inner.CreateConnection();
        }

        public override System.Data.Common.DbConnection CreateDeferredConnection()
        {
            Interlocked.Increment(ref Opened);
            return inner.CreateDeferredConnection();
        }

        public override IReadOnlyList<string> SchemaStatements => inner.SchemaStatements;

        public override string ClaimMessagesSql => inner.ClaimMessagesSql;

        public override string ClaimDeliveriesSql => inner.ClaimDeliveriesSql;

        public override string InsertDeliveryIfAbsentSql => inner.InsertDeliveryIfAbsentSql;
    }
}
