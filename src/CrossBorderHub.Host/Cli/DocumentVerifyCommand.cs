using System.Globalization;
using System.Text.Json;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Text;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub documents verify --type T --number N --country C [--json]`: exit 0 known, 1 unknown, 2 usage.</summary>
internal static class DocumentVerifyCommand
{
    public const string Usage = "documents verify --type T --number N --country C [--json]   is this document genuine? (exit 0 known, 1 unknown)";

    public static async Task<int> RunAsync(IConfiguration configuration, string[] rest, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(rest, ["--type", "--number", "--country"], ["--json"]);
        if (parsed.Error is not null || parsed.Files.Count > 0 || parsed.Switches.Count > 0)
        {
            context.Error.WriteLine($"hub documents verify: {parsed.Error ?? $"unexpected argument '{parsed.Files.Concat(parsed.Switches).First()}'."} Usage: hub {Usage}");
            return 2;
        }
        var (query, problems) = DocumentVerifyRequest.Read(parsed.Value("--type"), parsed.Value("--number"), parsed.Value("--country"));
        if (query is null)
        {
            context.Error.WriteLine($"hub documents verify: --{string.Join("; --", problems)}. Usage: hub {Usage}");
            return 2;
        }
        await using var services = HubServices.BuildForCli(configuration);
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var answer = await services.GetRequiredService<IDocumentQueries>().VerifyAsync(query, $"cli {Environment.UserName}", DateTimeOffset.UtcNow, cancellationToken);
        if (parsed.Flag("--json"))
        {
            context.Out.WriteLine(JsonSerializer.Serialize(answer, MessagesVerb.Json));
        }
        else
        {
            Print(answer, context.Out);
        }
        return answer.Known ? 0 : 1;
    }

    private static void Print(DocumentVerification a, TextWriter output)
    {
        string E(string? value) => PartnerText.Escape(string.IsNullOrEmpty(value) ? "-" : value);
        string T(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
        if (!a.Known)
        {
            output.WriteLine($"unknown: the hub never received a {E(a.Query.Type)} numbered {E(a.Query.Number)} issued in {E(a.Query.Country)}");
            return;
        }
        output.WriteLine($"known: {E(a.Type)} {E(a.Number)} ({a.Function}) issued in {E(a.IssuingCountry)} for {E(a.DestinationCountry)}, issue date {a.IssueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-"}");
        output.WriteLine($"status: {E(a.StatusText)} (document state {a.State})");
        output.WriteLine($"received: {T(a.ReceivedAt)} from partner {E(a.ReceivedFromPartner)} on channel {E(a.ReceivedOnChannel)} (message {a.MessageId})");
        output.WriteLine(a.Signature is { } s
            ? $"signature: {(s.Verified ? "verified" : "NOT verified")} with certificate '{E(s.Subject)}' sha256 {E(s.Fingerprint)}, valid {T(s.ValidFrom)} to {T(s.ValidUntil)} ({E(s.Detail)})"
            : "signature: none checked (unsigned, or no certificate pinned for the sender)");
        output.WriteLine($"content sha256: {E(a.ContentSha256)}");
        output.WriteLine($"delivered: {(a.DeliveredAt is null ? "not yet" : $"{T(a.DeliveredAt)} to {string.Join(", ", a.DeliveredTo.Select(p => E(p)))}")}");
        if (a.Duplicates > 0)
        {
            output.WriteLine($"duplicates: {a.Duplicates} later copies were not delivered again");
        }
    }
}
