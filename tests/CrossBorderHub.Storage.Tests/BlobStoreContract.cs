using System.Security.Cryptography;
using CrossBorderHub.Storage.Blobs;
using Dapper;
using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>What every <see cref="IBlobStore"/> must do: the file store and the PostgreSQL store run the same tests.</summary>
public abstract class BlobStoreContract
{
    protected IBlobStore Store { get; private set; } = null!;

    protected abstract Task<IBlobStore> CreateAsync();

    [SetUp]
    public async Task CreateStore() => Store = await CreateAsync();

    private async Task<byte[]> ReadAllAsync(string sha)
    {
        await using var read = Store.OpenRead(sha);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    [TestCase(0)]
    [TestCase(300)]
    [TestCase(1024 * 1024)]
    [TestCase(2 * 1024 * 1024 + 17)]
    public async Task Content_of_any_size_is_named_by_its_sha256_and_read_back_whole(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);

        var blob = await Store.PutAsync(new MemoryStream(content), CancellationToken.None);

        Assert.That(blob, Is.EqualTo(new BlobInfo(Convert.ToHexStringLower(SHA256.HashData(content)), size)));
        Assert.That(Store.Exists(blob.Sha256), Is.True);
        Assert.That(await ReadAllAsync(blob.Sha256), Is.EqualTo(content));
    }

    [Test]
    public async Task The_same_content_stored_at_once_from_several_writers_is_one_blob()
    {
        var content = RandomNumberGenerator.GetBytes(70_000);

        var blobs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.PutAsync(new MemoryStream(content), CancellationToken.None)));

        Assert.That(blobs.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await ReadAllAsync(blobs[0].Sha256), Is.EqualTo(content));
    }

    [Test]
    public async Task A_reader_can_seek_back_and_read_a_range_spanning_chunks()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var blob = await Store.PutAsync(new MemoryStream(content), CancellationToken.None);
        await using var read = Store.OpenRead(blob.Sha256);
        var buffer = new byte[100];

        read.Seek(1024 * 1024 - 50, SeekOrigin.Begin);
        await read.ReadExactlyAsync(buffer);

        Assert.That(buffer, Is.EqualTo(content[(1024 * 1024 - 50)..(1024 * 1024 + 50)]));
        Assert.That(read.Length, Is.EqualTo(content.Length));
    }

    [Test]
    public void An_unknown_or_malformed_hash_is_refused()
    {
        Assert.That(Store.Exists(new string('0', 64)), Is.False);
        Assert.That(() => Store.OpenRead(new string('0', 64)), Throws.InstanceOf<FileNotFoundException>().Or.InstanceOf<DirectoryNotFoundException>(), "a missing blob is a missing file for every store");
        Assert.That(() => Store.OpenRead("../../etc/passwd"), Throws.ArgumentException);
    }

    [Test]
    public async Task A_source_failing_half_way_leaves_no_blob_and_nothing_for_the_sweep_to_keep()
    {
        var source = new FailingAfter(RandomNumberGenerator.GetBytes(3 * 1024 * 1024), failAt: 2 * 1024 * 1024);

        Assert.That(async () => await Store.PutAsync(source, CancellationToken.None), Throws.InstanceOf<IOException>());

        var housekeeping = (IBlobHousekeeping)Store;
        housekeeping.SweepOrphans(TimeSpan.Zero, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.That(housekeeping.CountIncoming(TimeSpan.Zero, DateTimeOffset.UtcNow), Is.EqualTo((0, 0)));
    }

    /// <summary>A partner connection that drops after <c>failAt</c> bytes.</summary>
    private sealed class FailingAfter(byte[] content, int failAt) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAt ? throw new IOException("connection lost") : base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAt - Position)], cancellationToken);
    }
}

public sealed class FileBlobStoreContractTests : BlobStoreContract
{
    private string _folder = "";

    protected override Task<IBlobStore> CreateAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hub-blob-contract-").FullName;
        return Task.FromResult<IBlobStore>(new FileBlobStore(_folder));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);
}

[NonParallelizable]
public sealed class PostgresBlobStoreTests : BlobStoreContract
{
    private PostgresServer? _server;
    private SqlDialect _dialect = null!;

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

    protected override async Task<IBlobStore> CreateAsync()
    {
        _dialect = await TestDatabases.PostgresAsync(_server!);
        return new DatabaseBlobStore(_dialect, TimeProvider.System);
    }

    [Test]
    public async Task A_payload_is_kept_in_chunk_rows_of_one_megabyte()
    {
        await Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 1)), CancellationToken.None);

        await using var connection = _dialect.CreateConnection();
        var sizes = (await connection.QueryAsync<int>("SELECT octet_length(bytes) FROM hub_blob_chunks ORDER BY chunk_no")).ToList();
        Assert.That(sizes, Is.EqualTo(new[] { 1024 * 1024, 1024 * 1024, 1 }));
    }

    [Test]
    public async Task Chunk_rows_no_blob_names_are_swept_once_old_and_counted_until_then()
    {
        var kept = await Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(5000)), CancellationToken.None);
        await using (var connection = _dialect.CreateConnection())
        {
            // As a partial restore leaves them: chunks whose hub_blobs row is gone, written two hours ago.
            await connection.ExecuteAsync("INSERT INTO hub_blob_chunks (upload_key, chunk_no, written_at, bytes) VALUES ('orphan', 0, @At, @Bytes), ('orphan', 1, @At, @Bytes)",
                new { At = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds(), Bytes = new byte[700] });
        }
        var housekeeping = (IBlobHousekeeping)Store;

        var counted = housekeeping.CountIncoming(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        var tooYoung = housekeeping.SweepOrphans(TimeSpan.FromHours(3), DateTimeOffset.UtcNow);
        var sweep = housekeeping.SweepOrphans(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        Assert.That(counted, Is.EqualTo((2, 2)));
        Assert.That(tooYoung.Removed, Is.Zero);
        Assert.That(sweep, Is.EqualTo(new OrphanSweep(Removed: 2, RemovedBytes: 1400, Present: 0)));
        Assert.That(Store.Exists(kept.Sha256), Is.True, "a blob was swept");
        Assert.That(housekeeping.CountIncoming(TimeSpan.FromHours(1), DateTimeOffset.UtcNow), Is.EqualTo((0, 0)));
    }
}
