using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Edifact.Contrl;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub contrl FILE [--level L] [--directory D] [-o OUT]`: prints the CONTRL the hub would send back for FILE.</summary>
internal sealed class ContrlVerb : ICliVerb
{
    public string Name => "contrl";

    public string Usage => "contrl FILE [--level codes] [--directory D96B] [-o OUT]   print the CONTRL answering an interchange";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--level", "--directory", "--config", "-o"], []);
        if (options.Error is not null || options.Files.Count != 1)
        {
            context.Error.WriteLine(options.Error ?? "hub contrl: give exactly one file.");
            context.Error.WriteLine("usage: hub " + Usage);
            return Task.FromResult(2);
        }
        var hub = CliHub.LoadOptions(options.Value("--config"), options.Switches);
        var registry = new DirectoryRegistry(SchemasLocator.EdifactRoot(hub.Processing.SchemasPath));
        var validator = new EdifactValidator(registry, EdifactInspector.ParseLevel(options.Value("--level") ?? "codes"), options.Value("--directory"));
        ValidationResult result;
        try
        {
            using var stream = File.OpenRead(options.Files[0]);
            result = validator.Validate(stream, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{options.Files[0]}: cannot read: {e.Message}");
            return Task.FromResult(2);
        }
        var now = TimeProvider.System.GetUtcNow();
        var contrl = ContrlBuilder.Build(result, "C" + now.ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture), now,
            sender: hub.Identity.EdifactId);
        if (options.Value("-o") is { } output)
        {
            File.WriteAllBytes(output, contrl);
        }
        else
        {
            CliHub.WriteBytes(context, contrl);
        }
        context.Error.WriteLine(result.IsValid ? "CONTRL: interchange acknowledged." : $"CONTRL: interchange rejected ({result.Findings.Count} finding(s)).");
        return Task.FromResult(result.IsValid ? 0 : 1);
    }
}
