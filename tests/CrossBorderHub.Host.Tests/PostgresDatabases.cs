using Npgsql;

namespace CrossBorderHub.Host.Tests;

/// <summary>A database of its own on the fixture's PostgreSQL server, for a hub (or a cluster of them) to migrate.</summary>
internal static class PostgresDatabases
{
    /// <returns>The connection string of the new, empty database <paramref name="name"/>.</returns>
    public static async Task<string> CreateDatabaseAsync(this PostgresServer server, string name)
    {
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return server.ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal);
    }
}
