using System.Data;
using CrossBorderHub.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// Issue 17: SQLite connections that keep their prepared statements in the dialect's own pool, and the writer's turn
/// (<see cref="SqliteWriterGate"/>) that the hub's writers queue for instead of SQLite's sleeping busy handler.
/// </summary>
public sealed class PreparedSqliteConnectionTests
{
    private string _folder = "";
    private SqliteDialect _dialect = null!;

    [SetUp]
    public async Task Create()
    {
        _folder = Directory.CreateTempSubdirectory("hub-prepared-").FullName;
        _dialect = new SqliteDialect($"Data Source={Path.Combine(_folder, "hub.db")};Pooling=True");
        await using var connection = _dialect.CreateConnection();
        await connection.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }

    [TearDown]
    public void Remove()
    {
        _dialect.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task A_statement_is_prepared_once_and_found_again_by_the_next_user_of_the_pooled_connection()
    {
        SqliteCommand first;
        PreparedSqliteConnection used;
        await using (var connection = (PreparedSqliteConnection)_dialect.CreateConnection())
        {
            used = connection;
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES (@Name)", new { Name = "a" });
            first = connection.Rent("INSERT INTO t (name) VALUES (@Name)");
            connection.GiveBack(first);
        }
        await using (var again = (PreparedSqliteConnection)_dialect.CreateConnection())
        {
            Assert.That(again, Is.SameAs(used), "the closed connection came back from the pool");
            Assert.That(again.State, Is.EqualTo(ConnectionState.Open));
            await again.ExecuteAsync("INSERT INTO t (name) VALUES (@Name)", new { Name = "b" });
            var rented = again.Rent("INSERT INTO t (name) VALUES (@Name)");
            Assert.That(rented, Is.SameAs(first), "the statement prepared by the first user");
            again.GiveBack(rented);
            Assert.That(await again.QueryAsync<string>("SELECT name FROM t ORDER BY id"), Is.EqualTo(new[] { "a", "b" }));
        }
    }

    [Test]
    public async Task Each_pool_keeps_its_synchronous_mode_and_pooling_false_pools_nothing()
    {
        for (var round = 0; round < 3; round++)
        {
            await using (var durable = _dialect.CreateConnection())
            {
                Assert.That(await durable.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "FULL");
            }
            await using (var deferred = _dialect.CreateDeferredConnection())
            {
                Assert.That(await deferred.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(1), "NORMAL");
            }
        }
        using var unpooled = new SqliteDialect($"Data Source={Path.Combine(_folder, "hub.db")};Pooling=False");
        System.Data.Common.DbConnection firstUnpooled;
        await using (var a = unpooled.CreateConnection())
        {
            firstUnpooled = a;
        }
        await using (var b = unpooled.CreateConnection())
        {
            Assert.That(b, Is.Not.SameAs(firstUnpooled));
        }
    }

    [Test]
    public async Task A_connection_closed_with_its_transaction_still_open_is_not_handed_to_the_next_user()
    {
        var connection = _dialect.CreateConnection();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("INSERT INTO t (name) VALUES ('never')", transaction: transaction);
        await connection.DisposeAsync(); // a bug elsewhere: the transaction was not ended first

        await using var next = _dialect.CreateConnection();
        Assert.That(next, Is.Not.SameAs(connection));
        await using (var own = await next.BeginTransactionAsync())
        {
            await next.ExecuteAsync("INSERT INTO t (name) VALUES ('kept')", transaction: own);
            await own.CommitAsync();
        }
        Assert.That(await next.QueryAsync<string>("SELECT name FROM t"), Is.EqualTo(new[] { "kept" }), "the abandoned transaction was rolled back");
    }

    [Test]
    public async Task Dapper_in_lists_readers_and_returning_work_through_prepared_commands()
    {
        await using var connection = _dialect.CreateConnection();
        for (var i = 0; i < 5; i++)
        {
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES (@Name)", new { Name = $"n{i}" });
        }
        // Dapper rewrites the text for an IN-list after adding its parameters.
        Assert.That(await connection.QueryAsync<string>("SELECT name FROM t WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 2, 4 } }), Is.EqualTo(new[] { "n1", "n3" }));
        Assert.That(await connection.QueryAsync<string>("SELECT name FROM t WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 1, 3, 5 } }), Is.EqualTo(new[] { "n0", "n2", "n4" }));
        Assert.That(await connection.QueryAsync<string>("UPDATE t SET name = name || '!' WHERE id <= 2 RETURNING name"), Is.EquivalentTo(new[] { "n0!", "n1!" }));
        // More distinct statements than a connection keeps: the extra ones are run and disposed.
        for (var i = 0; i < 150; i++)
        {
            Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT {i} + COUNT(*) FROM t"), Is.EqualTo(i + 5));
        }
    }

    [Test]
    public async Task A_write_outside_a_transaction_waits_for_the_open_transaction_and_then_runs()
    {
        await using var first = _dialect.CreateConnection();
        await using var transaction = await first.BeginTransactionAsync();
        await first.ExecuteAsync("INSERT INTO t (name) VALUES ('first')", transaction: transaction);

        var second = Task.Run(async () =>
        {
            await using var other = _dialect.CreateDeferredConnection();
            await other.ExecuteAsync("INSERT INTO t (name) VALUES ('second')");
        });
        await Task.Delay(300);
        Assert.That(second.IsCompleted, Is.False, "the second writer waits for its turn");
        // Reads do not wait (WAL): the committed state, without the open transaction's row.
        await using (var reader = _dialect.CreateDeferredConnection())
        {
            Assert.That(await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"), Is.Zero);
        }
        await transaction.CommitAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(await first.QueryAsync<string>("SELECT name FROM t ORDER BY id"), Is.EqualTo(new[] { "first", "second" }));
    }
}
