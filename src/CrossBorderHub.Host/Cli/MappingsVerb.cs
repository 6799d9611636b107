using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub mappings`: every mapping folder with name, version, source -> target, state and last error. Exit 0
/// all loaded, 2 any mapping fails to load (a configuration error).</summary>
internal sealed class MappingsVerb : ICliVerb
{
    public string Name => "mappings";

    public string Usage => "mappings   list the mappings under Hub:Processing:MappingsPath (name, version, source -> target, state, last error)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--config"], []);
        if (options.Error is not null)
        {
            throw new UsageException(options.Error);
        }
        var catalog = Open(options.Value("--config"), options.Switches);
        context.Out.WriteLine($"{"NAME",-32} {"VERSION",-8} {"SOURCE -> TARGET",-36} STATE");
        foreach (var e in catalog.Entries)
        {
            var d = e.Mapping?.Descriptor;
            var ends = d is null ? "?" : $"{MappedEvent.End(d.Source)} -> {MappedEvent.End(d.Target)}";
            context.Out.WriteLine($"{e.Name,-32} {d?.Version ?? "?",-8} {ends,-36} {(e.Loaded ? "loaded" : "error: " + e.Errors[0])}");
            foreach (var more in e.Errors.Skip(1))
            {
                context.Out.WriteLine($"{"",-32} error: {more}");
            }
        }
        return Task.FromResult(catalog.Errors.Count == 0 ? 0 : 2);
    }

    internal static MappingCatalog Open(string? config, IReadOnlyList<string> switches)
    {
        var processing = CliHub.LoadOptions(config, switches).Processing;
        var edifactRoot = CrossBorderHub.Core.Edifact.SchemasLocator.EdifactRoot(processing.SchemasPath);
        return new MappingCatalog(HubPaths.ResolveShipped(processing.MappingsPath), MappingCatalog.Compilers(edifactRoot)).Load();
    }
}
