using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrossBorderHub.Host.Tests.Pipeline;

/// <summary>
/// The hub's services composed as `hub run` composes them (the real SQLite store, blob store, processor and outbox),
/// from a configuration file in a temporary folder, without the workers: a test drives intake, processing and
/// delivery step by step. Disposing removes the folder.
/// </summary>
internal sealed class PipelineHub : IAsyncDisposable
{
    private PipelineHub(string folder, string configFile, ServiceProvider services)
    {
        Folder = folder;
        ConfigFile = configFile;
        Services = services;
    }

    public string Folder { get; }

    /// <summary>The configuration file written, for CLI verbs under test (`--config`).</summary>
    public string ConfigFile { get; }

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <param name="hubSection">The properties of the "Hub" section after DataRoot (Partners, Routes, ...), as JSON.</param>
    /// <param name="register">Extra services, e.g. a channel factory of the test's own.</param>
    public static async Task<PipelineHub> StartAsync(string hubSection, Action<IServiceCollection>? register = null, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("hub-pipeline-").FullName;
        var configFile = Path.Combine(folder, "hub.json");
        var dataRoot = Path.Combine(folder, "data").Replace("\\", "/", StringComparison.Ordinal);
        await File.WriteAllTextAsync(configFile, $$"""{ "Hub": { "DataRoot": "{{dataRoot}}", {{hubSection}} } }""");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHub(new ConfigurationBuilder().AddJsonFile(configFile).Build());
        register?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StoreSchema>().MigrateAsync(CancellationToken.None);
        return new PipelineHub(folder, configFile, provider);
    }

    /// <summary>Stops the services and forgets the database, keeping the folder (a second composition may follow).</summary>
    public async Task StopAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
