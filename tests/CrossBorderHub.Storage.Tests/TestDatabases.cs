using CrossBorderHub.Storage.Postgres;
using CrossBorderHub.Storage.Sqlite;
using Npgsql;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Empty, migrated databases for the contracts beside the message store's (AS2 state, blobs).</summary>
internal static class TestDatabases
{
    private static int _sequence;

    public static async Task<SqlDialect> SqliteAsync(string folder)
    {
        // Pooled as the hub runs it: its connections keep their prepared statements.
        var dialect = new SqliteDialect($"Data Source={Path.Combine(folder, "hub.db")};Pooling=True");
        await new StoreSchema(dialect).MigrateAsync(CancellationToken.None);
        return dialect;
    }

    public static async Task<SqlDialect> PostgresAsync(PostgresServer server)
    {
        var name = $"hub_extra_{Environment.ProcessId}_{Interlocked.Increment(ref _sequence)}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var dialect = new PostgresDialect(server.ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal));
        await new StoreSchema(dialect).MigrateAsync(CancellationToken.None);
        return dialect;
    }
}
