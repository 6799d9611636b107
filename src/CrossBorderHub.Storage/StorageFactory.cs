using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Storage.Postgres;
using CrossBorderHub.Storage.Sqlite;
using CrossBorderHub.Storage.SqlServer;

namespace CrossBorderHub.Storage;

/// <summary>Picks the dialect from Hub:Store and reports unusable settings as start-up errors.</summary>
public static class StorageFactory
{
    public static readonly string[] Providers = ["Sqlite", "Postgres", "SqlServer"];

    public static SqlDialect CreateDialect(HubOptions options)
    {
        var store = options.Store;
        return store.Provider.ToUpperInvariant() switch
        {
            "SQLITE" => new SqliteDialect(string.IsNullOrWhiteSpace(store.ConnectionString)
                ? $"Data Source={Path.Combine(Directory.CreateDirectory(Path.GetFullPath(options.DataRoot)).FullName, "hub.db")};Pooling=True"
                : store.ConnectionString),
            "POSTGRES" or "POSTGRESQL" => new PostgresDialect(store.ConnectionString!),
            "SQLSERVER" => new SqlServerDialect(store.ConnectionString!),
            _ => throw new InvalidOperationException($"Hub:Store:Provider '{store.Provider}' is unknown"),
        };
    }

    public static void Validate(HubOptions options, ICollection<string> errors)
    {
        var store = options.Store;
        if (!Providers.Contains(store.Provider, StringComparer.OrdinalIgnoreCase) && !string.Equals(store.Provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Hub:Store:Provider '{store.Provider}' is unknown: use one of {string.Join(", ", Providers)}.");
        }
        else if (!string.Equals(store.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(store.ConnectionString))
        {
            errors.Add($"Hub:Store:ConnectionString is empty: {store.Provider} needs one (e.g. set the environment variable Hub__Store__ConnectionString).");
        }
    }
}
