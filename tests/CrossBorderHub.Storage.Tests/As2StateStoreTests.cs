using CrossBorderHub.Channels.Tests.As2;
using CrossBorderHub.Core.Channels;
using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>The AS2 state contract (linked from the Channels tests) over the store, plus what only the store does.</summary>
public abstract class As2StateStoreContract : As2StateContract
{
    protected SqlDialect Dialect { get; private set; } = null!;

    protected abstract Task<SqlDialect> CreateDialectAsync();

    [SetUp]
    public async Task CreateDatabase() => Dialect = await CreateDialectAsync();

    protected override IAs2State Create() => new DapperAs2State(Dialect, TimeSpan.FromDays(90));

    [Test]
    public async Task Seen_messages_older_than_the_retention_are_forgotten_when_a_new_instance_remembers_its_first()
    {
        var now = DateTimeOffset.UtcNow;
        await Create().RememberSeenAsync(new As2SeenMessage("CN", "<old@x>", "m-old", now.AddDays(-91), 200, [], "", null), CancellationToken.None);
        await Create().RememberSeenAsync(new As2SeenMessage("CN", "<new@x>", "m-new", now, 200, [], "", null), CancellationToken.None);

        Assert.That(await Create().FindSeenAsync("CN", "<old@x>", CancellationToken.None), Is.Null);
        Assert.That(await Create().FindSeenAsync("CN", "<new@x>", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_message_id_longer_than_any_index_allows_is_kept_by_its_hash()
    {
        var id = "<" + new string('m', 5000) + "@x>";
        await Create().SavePendingAsync(new As2PendingMdn(id, "d", "CN", "CNSW", "mic", DateTimeOffset.UtcNow, []), CancellationToken.None);

        Assert.That((await Create().FindPendingAsync(id, CancellationToken.None))?.As2MessageId, Is.EqualTo(id));
    }
}

public sealed class SqliteAs2StateTests : As2StateStoreContract
{
    private string _folder = "";

    protected override Task<SqlDialect> CreateDialectAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hub-as2-sqlite-").FullName;
        return TestDatabases.SqliteAsync(_folder);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);
}

[NonParallelizable]
public sealed class PostgresAs2StateTests : As2StateStoreContract
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

    protected override Task<SqlDialect> CreateDialectAsync() => TestDatabases.PostgresAsync(_server!);
}
