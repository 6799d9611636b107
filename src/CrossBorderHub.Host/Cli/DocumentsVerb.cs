using System.Text.Json;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Text;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub documents`: search business documents (document numbers, types, countries, issue dates).</summary>
internal sealed class DocumentsVerb : ICliVerb
{
    public string Name => "documents";

    public string Usage => "documents [--number N] [--type T] [--country C] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--limit N] [--json]   find business documents\n  " + DocumentVerifyCommand.Usage;

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        if (rest.Length > 0 && rest[0] == "verify")
        {
            return await DocumentVerifyCommand.RunAsync(configuration, rest[1..], context, cancellationToken);
        }
        var parsed = CliArgs.Parse(rest, ["--number", "--type", "--country", "--from", "--to", "--limit"], ["--json"]);
        if (parsed.Error is not null || parsed.Files.Count > 0 || parsed.Switches.Count > 0)
        {
            context.Error.WriteLine($"hub documents: {parsed.Error ?? $"unexpected argument '{parsed.Files.Concat(parsed.Switches).First()}'."} {Usage}");
            return 2;
        }
        var (query, invalid) = DocumentSearchRequest.Read(parsed.Value("--number"), parsed.Value("--type"), parsed.Value("--country"),
            parsed.Value("--from"), parsed.Value("--to"), parsed.Value("--limit"));
        if (invalid is not null)
        {
            context.Error.WriteLine($"hub documents: --{invalid}");
            return 2;
        }
        await using var services = HubServices.BuildForCli(configuration);
        // Migrated first, so that a database no hub has run on yet lists nothing instead of failing on a missing table.
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var documents = await services.GetRequiredService<IDocumentQueries>().FindAsync(query!, cancellationToken);
        if (parsed.Flag("--json"))
        {
            context.Out.WriteLine(JsonSerializer.Serialize(documents, MessagesVerb.Json));
            return 0;
        }
        foreach (var d in documents)
        {
            // Every value comes from a partner's message: escaped so it cannot forge a line or recolour the terminal.
            context.Out.WriteLine($"{PartnerText.Escape(d.Number.Length == 0 ? "(no number)" : d.Number),-20} {PartnerText.Escape(d.Type),-14} {d.Function,-12} " +
                $"{d.IssueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "-",-10} " +
                $"{PartnerText.Escape(Or(d.IssuingCountry))} -> {PartnerText.Escape(Or(d.DestinationCountry))}  message {d.MessageId} #{d.MessageIndex + 1} ({PartnerText.Escape(d.MessageReference)})");
        }
        context.Error.WriteLine($"{documents.Count} document(s)");
        return 0;
    }

    private static string Or(string value) => value.Length == 0 ? "-" : value;
}
