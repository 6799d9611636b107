using System.Globalization;
using System.Text.Json;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub statistics`: volumes, rejections, duplicates and latency by country, type, partner and period.</summary>
internal sealed class StatisticsVerb : ICliVerb
{
    public string Name => "statistics";

    public string Usage => "statistics [--by country,type,partner] [--period day|week|month] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--csv|--json]   supervision statistics";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        var parsed = CliArgs.Parse(rest, ["--by", "--period", "--from", "--to"], ["--csv", "--json"]);
        if (parsed.Error is not null || parsed.Files.Count > 0 || parsed.Switches.Count > 0)
        {
            context.Error.WriteLine($"hub statistics: {parsed.Error ?? $"unexpected argument '{parsed.Files.Concat(parsed.Switches).First()}'."} {Usage}");
            return 2;
        }
        var (query, invalid) = StatisticsRequest.Read(parsed.Value("--by"), parsed.Value("--period"), parsed.Value("--from"), parsed.Value("--to"));
        if (invalid is not null)
        {
            context.Error.WriteLine($"hub statistics: --{invalid}");
            return 2;
        }
        await using var services = HubServices.BuildForCli(configuration);
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var rows = await services.GetRequiredService<IDocumentStatistics>().QueryAsync(query!, cancellationToken);
        if (parsed.Flag("--csv"))
        {
            context.Out.Write(StatisticsRequest.Csv(query!, rows));
            return 0;
        }
        if (parsed.Flag("--json"))
        {
            context.Out.WriteLine(JsonSerializer.Serialize(rows, MessagesVerb.Json));
            return 0;
        }
        foreach (var r in rows)
        {
            var group = string.Join(" ", new[] { r.Origin is null && r.Destination is null ? null : $"{Or(r.Origin)}->{Or(r.Destination)}", r.Type, r.Partner }.Where(v => v is not null).Select(v => Core.Text.PartnerText.Escape(v!)));
            context.Out.WriteLine($"{r.Period,-10} {group,-40} {r.Documents,8} docs {r.Delivered,8} delivered {r.Rejected,6} rejected {r.Duplicates,6} duplicates  " +
                $"latency median {Ms(r.LatencyMedianMs)} p95 {Ms(r.LatencyP95Ms)}  acknowledged median {Ms(r.AcknowledgedMedianMs)} p95 {Ms(r.AcknowledgedP95Ms)}");
        }
        context.Error.WriteLine($"{rows.Count} group(s)");
        return 0;
    }

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    private static string Ms(double? value) => value is { } ms ? ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "-";
}
