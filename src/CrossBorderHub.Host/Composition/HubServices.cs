using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Certificates;
using CrossBorderHub.Storage;
using CrossBorderHub.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Host.Composition;

/// <summary>The composition root: everything the worker, the admin and the CLI verbs share.</summary>
internal static class HubServices
{
    public static HubOptions BindOptions(IConfiguration configuration)
    {
        var options = new HubOptions();
        Readable(configuration).GetSection(HubOptions.SectionName).Bind(options);
        foreach (var partner in options.Partners.Values)
        {
            // The binder hands an IConfigurationSection property the section even when the key is absent; only a
            // section that exists is a channel (a partner that only receives has no Inbound at all).
            partner.Inbound = partner.Inbound is { } inbound && inbound.Exists() ? inbound : null;
            partner.Outbound = partner.Outbound is { } outbound && outbound.Exists() ? outbound : null;
        }
        return options;
    }

    /// <summary>
    /// The configuration without the values the binder cannot convert: binding it cannot throw on the first bad value,
    /// so start-up lists that value's error (ConfigurationKeyCheck, over the raw configuration) with all the others.
    /// </summary>
    private static IConfiguration Readable(IConfiguration configuration)
    {
        var unreadable = ConfigurationKeyCheck.UnreadableValues(configuration);
        // A copy without those keys, not an overlay setting them to null: the binder turns a null into 0 for an int,
        // which would add a misleading second error ("MaxAttempts is 0") instead of keeping the default.
        return unreadable.Count == 0
            ? configuration
            : new ConfigurationBuilder()
                .AddInMemoryCollection(configuration.AsEnumerable().Where(kv => !unreadable.Contains(kv.Key)))
                .Build();
    }

    public static IServiceCollection AddHub(this IServiceCollection services, IConfiguration configuration)
    {
        var options = BindOptions(configuration);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        // Hub:Blobs:Provider: files under the data root (default) or rows in the shared PostgreSQL store.
        services.AddSingleton(sp => StorageFactory.CreateBlobStore(options, sp.GetRequiredService<SqlDialect>, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => (IBlobHousekeeping)sp.GetRequiredService<IBlobStore>());
        services.AddSingleton(_ => StorageFactory.CreateDialect(options));
        services.AddSingleton(sp => new StoreSchema(sp.GetRequiredService<SqlDialect>()));
        // The pipeline writes through IMessageStore; the admin web, its API and `hub messages` read through IMessageQueries.
        services.AddSingleton<IMessageStore>(sp => new DapperMessageStore(sp.GetRequiredService<SqlDialect>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMessageQueries>(sp => new DapperMessageQueries(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton(sp => new DapperDocumentStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<DapperDocumentStore>());
        services.AddSingleton<IDocumentQueries>(sp => sp.GetRequiredService<DapperDocumentStore>());
        services.AddSingleton<IDocumentStatistics>(sp => new DapperDocumentStatistics(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IOutbox>(sp => new DapperOutbox(sp.GetRequiredService<SqlDialect>()));
        // A processing or delivery batch's writes in one transaction where the store gains by it (SQLite).
        services.AddSingleton<IStoreBatches>(sp => new StoreBatches(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton(sp => new DapperUserStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<DapperUserStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<DapperUserStore>());
        services.AddSingleton<Admin.Security.UserAccounts>();
        // The partners and routes as versions in the store; CurrentConfiguration swaps them into `options` (docs/admin.md).
        services.AddSingleton<IConfigurationVersions>(sp => new DapperConfigurationVersions(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CurrentConfiguration>(sp, configuration));
        services.AddSingleton<IAuditSearch>(sp => new DapperAuditSearch(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IDeliveryActions>(sp => new DapperDeliveryActions(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<Core.Alerts.IAlertStore>(sp => new DapperAlertStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<Core.Telemetry.HubMetrics>();
        services.AddSingleton<ProcessingSignal>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<IntakePause>();
        services.AddSingleton<StoreOutage>();
        services.AddSingleton<Intake>();
        services.AddSingleton<IInboundSink>(sp => sp.GetRequiredService<Intake>());
        services.AddSingleton<ReplyQueue>();
        services.AddSingleton<ApplicationAcknowledgements>();
        services.AddSingleton<MessageProcessor>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<Replayer>();
        services.AddSingleton<HubCertificate>();
        services.AddCertificatesAndMappingEditor(options);
        // One catalog of mappings for the pipeline step, the start-up check, the reload watcher and the admin API.
        // A factory, not the constructor: DI would pass an empty compiler list where the catalog's own engines are meant.
        // Both engines, so a route may name an XSLT or a declarative (EDIFACT <-> XML) mapping.
        services.AddSingleton(sp => new Core.Mapping.MappingRegistry(options, sp.GetRequiredService<ILogger<Core.Mapping.MappingRegistry>>(),
            Core.Mapping.MappingCatalog.Compilers(Core.Edifact.SchemasLocator.EdifactRoot(options.Processing.SchemasPath))));
        // AS2's seen Message-IDs and pending async MDNs live in the store, so any instance takes a resend or an MDN.
        services.AddSingleton<IAs2State>(sp => new DapperAs2State(sp.GetRequiredService<SqlDialect>(),
            TimeSpan.TryParse(configuration["Hub:As2:SeenRetention"], System.Globalization.CultureInfo.InvariantCulture, out var retention) ? retention : null));
        services.AddSingleton(sp => new ChannelContext(Path.GetFullPath(options.DataRoot), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>())
        {
            HubCertificate = () => sp.GetRequiredService<HubCertificate>().Certificate,
            Pins = sp.GetRequiredService<CertificatePins>(),
            As2State = sp.GetRequiredService<IAs2State>(),
        });
        services.AddSingleton<ChannelRegistry>();

        // Features plug in by adding a class: transports to the Channels assembly, inspectors, payload steps and
        // start-up checks to the Core assembly. Nothing here needs to change for them.
        foreach (var type in ConcreteTypes(typeof(FolderChannelFactory).Assembly, typeof(IChannelFactory)))
        {
            services.AddSingleton(typeof(IChannelFactory), type);
        }
        foreach (var port in new[] { typeof(IDocumentInspector), typeof(IPayloadTransformer), typeof(IStartupCheck) })
        {
            foreach (var type in ConcreteTypes(typeof(IDocumentInspector).Assembly, port))
            {
                services.AddSingleton(port, type);
            }
        }
        // Host's own check: it needs the raw configuration to see keys the binder would ignore.
        services.AddSingleton<IStartupCheck>(new ConfigurationKeyCheck(configuration));
        return services;
    }

    private static IEnumerable<Type> ConcreteTypes(System.Reflection.Assembly assembly, Type port) =>
        assembly.GetTypes().Where(t => port.IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Services for CLI verbs: the same registrations with console logging at warning level.</summary>
    public static ServiceProvider BuildForCli(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddHub(configuration);
        return services.BuildServiceProvider();
    }
}
