using System.Text.Json;
using CrossBorderHub.Host.Certificates;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub certificates`: the list of /certificates (store, configured files, the hub's own, admin TLS), soonest expiry
/// first. Exit 0 when none has expired, 1 when one has (a cron job or a monitor can act on it).
/// </summary>
internal sealed class CertificatesVerb : ICliVerb
{
    public string Name => "certificates";

    public string Usage => "certificates [--json] [--config FILE]   every certificate the hub uses with subject, fingerprint, validity and use, soonest expiry first";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        var json = false;
        foreach (var argument in rest)
        {
            if (argument != "--json")
            {
                context.Error.WriteLine($"hub certificates: unknown argument '{argument}'. Usage: hub {Usage}");
                return 2;
            }
            json = true;
        }
        await using var services = HubServices.BuildForCli(configuration);
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var entries = await services.GetRequiredService<CertificateInventory>().ListAsync(cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(entries.Select(e => new { e.Source, e.Id, e.Partner, e.UsedFor, e.Subject, e.Issuer, e.Fingerprint, e.NotBefore, e.NotAfter, state = e.State(now), e.Error }), MessagesVerb.Json));
        }
        else
        {
            context.Out.WriteLine($"{"EXPIRES",-10} {"STATE",-9} {"PARTNER",-8} {"SUBJECT",-40} USED FOR / SHA-256");
            foreach (var e in entries)
            {
                context.Out.WriteLine($"{e.NotAfter?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "?",-10} {e.State(now),-9} {e.Partner ?? "-",-8} {e.Subject,-40} {e.UsedFor}");
                context.Out.WriteLine($"{"",-10} {"",-9} {"",-8} {"",-40} {e.Fingerprint}{(e.Error is null ? "" : " error: " + e.Error)}");
            }
        }
        return entries.Any(e => e.State(now) == "expired") ? 1 : 0;
    }
}
