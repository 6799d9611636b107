using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub mappings`: every mapping with name, version, source -> target, state and last error. Beside a running hub
/// (its DataRoot holds the mappings-state.json it writes at every load result) it shows what that hub has in force:
/// an edit that does not load is `last-good` with the version still running and the edit's error. With no hub
/// running, or with --files, it loads the files as they are now, as the next start-up would. Exit 0 when everything
/// is loaded, 2 when any mapping is not (a configuration error).
/// </summary>
internal sealed class MappingsVerb : ICliVerb
{
    private static string Row(string name, string version, string ends, string state) => $"{name,-32} {version,-8} {ends,-36} {state}";

    public string Name => "mappings";

    public string Usage => "mappings [--files]   the mappings the running hub has in force (name, version, source -> target, state, last error); --files: as the files on disk load now";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--config"], ["--files"]);
        if (options.Error is not null)
        {
            throw new UsageException(options.Error);
        }
        var hub = CliHub.LoadOptions(options.Value("--config"), options.Switches);
        var running = options.Flag("--files") ? null : MappingStateFile.ReadRunning(hub.DataRoot);
        return Task.FromResult(running is null ? ListFiles(hub, context) : ListRunning(running, context));
    }

    private static int ListRunning(MappingState state, CliContext context)
    {
        context.Out.WriteLine($"In force in the running hub (pid {state.ProcessId}, {state.Root}), as of {state.WrittenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z:");
        context.Out.WriteLine(Row("NAME", "VERSION", "SOURCE -> TARGET", "STATE"));
        foreach (var m in state.Mappings)
        {
            var ends = m.Source is null ? "?" : $"{m.Source} -> {m.Target}";
            var what = m.State switch
            {
                "loaded" => "loaded",
                "last-good" => $"last-good: version {m.Version} stays in force; the edit on disk does not load",
                _ => "error: nothing of it runs (routes naming it reject their messages)",
            };
            context.Out.WriteLine(Row(m.Name, m.Version ?? "?", ends, what));
            foreach (var error in m.Errors)
            {
                context.Out.WriteLine($"{"",-32} error: {error}");
            }
        }
        return state.Mappings.All(m => m.State == "loaded") ? 0 : 2;
    }

    private static int ListFiles(HubOptions hub, CliContext context)
    {
        var catalog = Open(hub.Processing);
        context.Out.WriteLine($"No running hub for this configuration: the mappings in {catalog.Root} as they load now (the next start-up):");
        context.Out.WriteLine(Row("NAME", "VERSION", "SOURCE -> TARGET", "STATE"));
        foreach (var e in catalog.Entries)
        {
            var d = e.Mapping?.Descriptor;
            var ends = d is null ? "?" : $"{MappedEvent.End(d.Source)} -> {MappedEvent.End(d.Target)}";
            context.Out.WriteLine(Row(e.Name, d?.Version ?? "?", ends, e.Loaded ? "loaded" : "error: " + e.Errors[0]));
            foreach (var more in e.Errors.Skip(1))
            {
                context.Out.WriteLine($"{"",-32} error: {more}");
            }
        }
        return catalog.Errors.Count == 0 ? 0 : 2;
    }

    internal static MappingCatalog Open(string? config, IReadOnlyList<string> switches) => Open(CliHub.LoadOptions(config, switches).Processing);

    private static MappingCatalog Open(ProcessingOptions processing)
    {
        var edifactRoot = CrossBorderHub.Core.Edifact.SchemasLocator.EdifactRoot(processing.SchemasPath);
        return new MappingCatalog(HubPaths.ResolveShipped(processing.MappingsPath), MappingCatalog.Compilers(edifactRoot)).Load();
    }
}
