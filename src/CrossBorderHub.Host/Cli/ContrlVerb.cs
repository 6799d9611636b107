using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub contrl FILE [--partner P] [--level L] [--profile strict|lenient] [--directory D] [-o OUT]`: prints the CONTRL
/// the hub would send back for FILE. It goes through the pipeline's own inspector, so a partner's agreement (receipt
/// only, partial acceptance, tolerance profile, validation level) gives the same answer here as in `hub run`.
/// </summary>
internal sealed class ContrlVerb : ICliVerb
{
    public string Name => "contrl";

    public string Usage =>
        "contrl FILE [--partner P] [--level codes] [--profile strict|lenient] [--directory D96B] [--config F] [-o OUT]   print the CONTRL answering an interchange";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--partner", "--level", "--profile", "--directory", "--config", "-o"], []);
        if (options.Error is not null || options.Files.Count != 1)
        {
            context.Error.WriteLine(options.Error ?? "hub contrl: give exactly one file.");
            context.Error.WriteLine("usage: hub " + Usage);
            return 2;
        }
        if (options.Value("--profile") is { } named && EdifactTolerance.Named(named) is null)
        {
            context.Error.WriteLine($"hub contrl: --profile must be one of {string.Join(", ", EdifactTolerance.Names)}, not '{named}'.");
            return 2;
        }
        var hub = CliHub.LoadOptions(options.Value("--config"), options.Switches);
        var partnerName = options.Value("--partner");
        PartnerOptions? configured = null;
        if (partnerName is not null && !hub.Partners.TryGetValue(partnerName, out configured))
        {
            context.Error.WriteLine($"hub contrl: partner '{partnerName}' is not in the configuration: use one of {string.Join(", ", hub.Partners.Keys.Order())} (and --config FILE).");
            return 2;
        }
        var file = options.Files[0];
        var (head, length, unreadable) = await CliHub.ReadHeadAsync(file, cancellationToken);
        if (unreadable is not null)
        {
            context.Error.WriteLine($"{file}: cannot read: {unreadable}");
            return 2;
        }
        var inspector = new EdifactInspector(hub, TimeProvider.System);
        if (!inspector.Recognizes(head))
        {
            context.Error.WriteLine($"{file}: not an EDIFACT interchange (no UNA/UNB at the start): a CONTRL answers EDIFACT only.");
            return 1;
        }
        // The CLI always wants the answer, whatever the interchange or the partner asks for.
        var partner = Answering(configured);
        var inspection = await inspector.InspectAsync(new InspectionRequest(CliHub.Record(file, length), () => File.OpenRead(file),
            partnerName ?? "cli", partner, hub, new InspectionOverrides(options.Value("--level"), options.Value("--directory"), options.Value("--profile"))),
            cancellationToken);
        if (inspection.Reply is not { } reply)
        {
            context.Error.WriteLine($"{file}: no CONTRL: the interchange is itself a CONTRL, or has no UNB to answer.");
            return 1;
        }
        if (options.Value("-o") is { } output)
        {
            await File.WriteAllBytesAsync(output, reply.Content, cancellationToken);
        }
        else
        {
            CliHub.WriteBytes(context, reply.Content);
        }
        var errors = inspection.Findings.Count(f => f.Severity == FindingSeverity.Error);
        context.Error.WriteLine(errors == 0
            ? "CONTRL: interchange acknowledged."
            : inspection.Partial is { } partial
                ? $"CONTRL: {partial.Accepted} message(s) accepted, rejected: {string.Join(", ", partial.RejectedReferences)} ({errors} error(s))."
                : $"CONTRL: interchange rejected ({errors} error(s)).");
        return errors == 0 ? 0 : 1;
    }

    /// <summary>The partner's agreement as configured, with a CONTRL always asked for.</summary>
    private static PartnerOptions Answering(PartnerOptions? configured) => new()
    {
        AlwaysAcknowledge = true,
        Validation = configured?.Validation ?? "codes",
        ReceiptOnly = configured?.ReceiptOnly ?? false,
        PartialAcceptance = configured?.PartialAcceptance ?? false,
        Tolerance = configured?.Tolerance ?? new(),
    };
}
