using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Storage.Blobs;
using CrossBorderHub.Storage.Postgres;
using CrossBorderHub.Storage.Sqlite;
using CrossBorderHub.Storage.SqlServer;

namespace CrossBorderHub.Storage;

/// <summary>Picks the dialect from Hub:Store and reports unusable settings as start-up errors.</summary>
public static class StorageFactory
{
    public static readonly string[] Providers = ["Sqlite", "Postgres", "SqlServer"];

    public static readonly string[] BlobProviders = ["File", "Postgres"];

    /// <summary>
    /// The payload store of Hub:Blobs:Provider (validated by <see cref="Validate"/> first): File keeps small payloads
    /// as rows of the store and the others as files under DataRoot/blobs (<see cref="TieredBlobStore"/>).
    /// </summary>
    public static IBlobStore CreateBlobStore(HubOptions options, Func<SqlDialect> dialect, TimeProvider time) =>
        IsPostgresBlobs(options)
            ? new DatabaseBlobStore(dialect(), time)
            : new TieredBlobStore(dialect(), new FileBlobStore(Path.Combine(Path.GetFullPath(options.DataRoot), "blobs")), time);

    private static bool IsPostgresBlobs(HubOptions options) =>
        string.Equals(options.Blobs.Provider, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(options.Blobs.Provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    private static bool IsPostgresStore(HubOptions options) =>
        string.Equals(options.Store.Provider, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(options.Store.Provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase);

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
        var blobs = options.Blobs.Provider;
        if (!BlobProviders.Contains(blobs, StringComparer.OrdinalIgnoreCase) && !IsPostgresBlobs(options))
        {
            errors.Add($"Hub:Blobs:Provider '{blobs}' is unknown: use one of {string.Join(", ", BlobProviders)} (File keeps payloads under DataRoot/blobs).");
        }
        else if (IsPostgresBlobs(options) && !IsPostgresStore(options))
        {
            errors.Add($"Hub:Blobs:Provider Postgres keeps payloads in the PostgreSQL store, but Hub:Store:Provider is '{store.Provider}': set Hub:Store:Provider to Postgres, or Hub:Blobs:Provider to File.");
        }
    }
}
