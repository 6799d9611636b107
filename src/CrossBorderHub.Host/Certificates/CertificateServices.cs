using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace CrossBorderHub.Host.Certificates;

/// <summary>The certificate store, its in-memory pins, the replaceable hub certificate and the mapping editor, for the worker, the admin and the CLI.</summary>
internal static class CertificateServices
{
    public static IServiceCollection AddCertificatesAndMappingEditor(this IServiceCollection services, HubOptions options)
    {
        // The same key ring as the admin's cookies (AdminSecurity), so `hub run` and the CLI verbs read one replacement.
        services.AddDataProtection().SetApplicationName("CrossBorderHub")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataRoot), "keys")));
        services.AddSingleton(sp => new DapperCertificateStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<ICertificateStore>(sp => sp.GetRequiredService<DapperCertificateStore>());
        services.AddSingleton<CertificatePins>();
        services.AddSingleton<CertificatePinsLoader>();
        services.AddSingleton(sp => new ProtectedHubCertificate(options, sp.GetRequiredService<IDataProtectionProvider>()));
        services.AddSingleton<IHubCertificateReplacement>(sp => sp.GetRequiredService<ProtectedHubCertificate>());
        services.AddSingleton<CertificateInventory>();
        services.AddSingleton<CertificateUploads>();
        services.AddSingleton<Mappings.MappingWorkbench>();
        return services;
    }
}

/// <summary>Reads the store's certificates into <see cref="CertificatePins"/>: at start, every few seconds (other instances' uploads) and after an upload here.</summary>
internal sealed class CertificatePinsLoader(ICertificateStore store, CertificatePins pins)
{
    public async Task RefreshAsync(CancellationToken cancellationToken) => pins.Replace(await store.ListAsync(cancellationToken));
}

/// <summary>Keeps <see cref="CertificatePins"/> current; an unreachable store leaves the last snapshot in force.</summary>
internal sealed class CertificatePinsRefreshService(CertificatePinsLoader loader, ILogger<CertificatePinsRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loader.RefreshAsync(stoppingToken);
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or System.Security.Cryptography.CryptographicException)
            {
                logger.LogWarning("Pinned certificates cannot be read from the store ({Error}); the last ones read stay in force, retrying in {Delay}", ex.Message, Interval);
                await Task.Delay(Interval, stoppingToken);
            }
        }
    }
}
