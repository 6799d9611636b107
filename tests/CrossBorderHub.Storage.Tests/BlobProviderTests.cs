using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Hub:Blobs:Provider: File by default, Postgres only over the PostgreSQL store, anything else refused with the fix.</summary>
public sealed class BlobProviderTests
{
    private static List<string> Errors(string store, string blobs)
    {
        var errors = new List<string>();
        StorageFactory.Validate(new HubOptions { Store = { Provider = store, ConnectionString = "Host=x" }, Blobs = { Provider = blobs } }, errors);
        return errors;
    }

    [Test]
    public void An_unknown_provider_is_one_error_naming_the_choices()
    {
        Assert.That(Errors("Postgres", "S3"), Is.EqualTo(new[] { "Hub:Blobs:Provider 'S3' is unknown: use one of File, Postgres (File keeps payloads under DataRoot/blobs)." }));
    }

    [Test]
    public void Postgres_blobs_over_another_store_are_refused_and_over_postgres_accepted()
    {
        Assert.That(Errors("Sqlite", "Postgres").Single(), Does.StartWith("Hub:Blobs:Provider Postgres keeps payloads in the PostgreSQL store, but Hub:Store:Provider is 'Sqlite'"));
        Assert.That(Errors("Postgres", "postgres"), Is.Empty);
        Assert.That(Errors("Sqlite", "File"), Is.Empty);
    }

    [Test]
    public void The_default_is_the_file_store_under_the_data_root()
    {
        var root = Directory.CreateTempSubdirectory("hub-blob-default-").FullName;
        try
        {
            var store = StorageFactory.CreateBlobStore(new HubOptions { DataRoot = root }, () => new Sqlite.SqliteDialect($"Data Source={Path.Combine(root, "hub.db")};Pooling=False"), TimeProvider.System);
            Assert.That(store, Is.InstanceOf<TieredBlobStore>(), "small payloads as store rows, the others as files");
            Assert.That(((TieredBlobStore)store).Files, Is.InstanceOf<FileBlobStore>());
            Assert.That(Directory.Exists(Path.Combine(root, "blobs", "incoming")), Is.True);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
