using CrossBorderHub.Storage.Postgres;
using CrossBorderHub.Storage.Sqlite;
using CrossBorderHub.Storage.SqlServer;
using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>SQLite: a new database file per test, pooled as the hub runs it (prepared statements kept).</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private string _folder = "";
    private SqliteDialect? _dialect;

    protected override Task<SqlDialect> CreateDialectAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hub-sqlite-").FullName;
        _dialect = new SqliteDialect($"Data Source={Path.Combine(_folder, "hub.db")};Pooling=True");
        return Task.FromResult<SqlDialect>(_dialect);
    }

    [TearDown]
    public void Remove()
    {
        _dialect?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>PostgreSQL: one server for the fixture (started from Debian's binaries), a new database per test.</summary>
[NonParallelizable]
public sealed class PostgresStoreTests : StoreContract
{
    private PostgresServer? _server;
    private int _database;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await PostgresServer.StartAsync();

    // Each test has its own database, so its pooled connections (two pools: PostgresDialect's durable and deferred
    // connection strings) are never used again: closing them keeps the fixture under the server's max_connections.
    [TearDown]
    public void ClosePooledConnections() => NpgsqlConnection.ClearAllPools();

    [OneTimeTearDown]
    public async Task StopServer()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected override async Task<SqlDialect> CreateDialectAsync()
    {
        var name = $"hub_test_{++_database}";
        await using (var connection = new NpgsqlConnection(_server!.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new PostgresDialect(_server.ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal));
    }
}

/// <summary>SQL Server: runs when HUB_TEST_SQLSERVER holds a connection string to a server the test may write to.</summary>
[NonParallelizable]
public sealed class SqlServerStoreTests : StoreContract
{
    protected override async Task<SqlDialect> CreateDialectAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("HUB_TEST_SQLSERVER");
        if (string.IsNullOrEmpty(connectionString))
        {
            Assert.Ignore("set HUB_TEST_SQLSERVER to a SQL Server connection string to run the store contract on SQL Server");
        }
        var dialect = new SqlServerDialect(connectionString!);
        await using var connection = dialect.CreateConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "IF OBJECT_ID(N'hub_audit') IS NOT NULL DROP TABLE hub_audit; IF OBJECT_ID(N'hub_api_tokens') IS NOT NULL DROP TABLE hub_api_tokens; IF OBJECT_ID(N'hub_users') IS NOT NULL DROP TABLE hub_users; IF OBJECT_ID(N'hub_documents') IS NOT NULL DROP TABLE hub_documents; IF OBJECT_ID(N'hub_events') IS NOT NULL DROP TABLE hub_events; IF OBJECT_ID(N'hub_deliveries') IS NOT NULL DROP TABLE hub_deliveries; IF OBJECT_ID(N'hub_messages') IS NOT NULL DROP TABLE hub_messages;";
        await command.ExecuteNonQueryAsync();
        return dialect;
    }
}
