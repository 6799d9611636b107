using CrossBorderHub.Storage.Postgres;
using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// PostgresDialect's two kinds of connection against a real server: the pipeline's bookkeeping (deferred) commits with
/// synchronous_commit=off, the gating commits (durable) with the server's setting, here on (SqlDialect.CreateDeferredConnection).
/// </summary>
[NonParallelizable]
public sealed class PostgresDeferredCommitTests
{
    private PostgresServer? _server;
    private string _database = "";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await PostgresServer.StartAsync();
        // The suite's server runs with synchronous_commit=off for speed; this database gets PostgreSQL's default back
        // (a database setting overrides the command line, a client's startup option overrides the database's).
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "CREATE DATABASE hub_deferred", "ALTER DATABASE hub_deferred SET synchronous_commit = on" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        _database = _server.ConnectionString.Replace("Database=postgres", "Database=hub_deferred", StringComparison.Ordinal);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public void Deferred_connections_commit_asynchronously_and_durable_ones_synchronously()
    {
        var dialect = new PostgresDialect(_database);

        Assert.That(Show(dialect.CreateDeferredConnection(), "synchronous_commit"), Is.EqualTo("off"));
        Assert.That(Show(dialect.CreateConnection(), "synchronous_commit"), Is.EqualTo("on"));
    }

    [Test]
    public void Each_keeps_its_setting_when_its_pooled_connection_is_reused()
    {
        var dialect = new PostgresDialect(_database);
        for (var round = 0; round < 3; round++)
        {
            // Alternating opens: a pooled session must not carry one kind's setting into the other.
            Assert.That(Show(dialect.CreateDeferredConnection(), "synchronous_commit"), Is.EqualTo("off"), $"deferred, round {round}");
            Assert.That(Show(dialect.CreateConnection(), "synchronous_commit"), Is.EqualTo("on"), $"durable, round {round}");
        }
    }

    [Test]
    public void Options_already_in_the_connection_string_are_kept_on_both()
    {
        var dialect = new PostgresDialect($"{_database};Options=-c statement_timeout=54321");

        Assert.That(Show(dialect.CreateDeferredConnection(), "statement_timeout"), Is.EqualTo("54321ms"));
        Assert.That(Show(dialect.CreateConnection(), "statement_timeout"), Is.EqualTo("54321ms"));
        Assert.That(Show(dialect.CreateDeferredConnection(), "synchronous_commit"), Is.EqualTo("off"));
    }

    [Test]
    public void A_deferred_commit_is_visible_to_a_durable_connection_at_once()
    {
        // Asynchronous commit changes when the commit reaches the disk, never what other sessions see: the delivery
        // claim (durable) must find the rows processing wrote (deferred) as soon as their commit returns.
        var dialect = new PostgresDialect(_database);
        using (var deferred = dialect.CreateDeferredConnection())
        {
            Execute(deferred, "CREATE TABLE IF NOT EXISTS deferred_probe (id INT PRIMARY KEY); DELETE FROM deferred_probe; INSERT INTO deferred_probe VALUES (7)");
        }
        using var durable = dialect.CreateConnection();
        using var count = durable.CreateCommand();
        count.CommandText = "SELECT count(*) FROM deferred_probe WHERE id = 7";
        Assert.That(Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(1));
    }

    private static string? Show(System.Data.Common.DbConnection connection, string setting)
    {
        using (connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SHOW {setting}";
            return command.ExecuteScalar() as string;
        }
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
