using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub map FILE --mapping NAME [-o OUT]`: exit 0 mapped, 1 invalid input or mapping failed, 2 usage or mapping load
/// error. `hub map test [NAME...]`: runs every fixture, a unified diff per mismatch, exit 1 if any differs.
/// </summary>
internal sealed class MapVerb : ICliVerb
{
    public string Name => "map";

    public string Usage => "map FILE --mapping NAME [-o OUT] | map test [NAME...]   map a document, or run the mappings' fixtures";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--config", "--mapping", "-o"], []);
        if (options.Error is not null)
        {
            throw new UsageException(options.Error);
        }
        var catalog = MappingsVerb.Open(options.Value("--config"), options.Switches);
        if (options.Files is ["test", .. var names])
        {
            return Test(catalog, names, context);
        }
        if (options.Files is not [var file])
        {
            throw new UsageException("give one FILE and --mapping NAME.");
        }
        var name = options.Value("--mapping") ?? throw new UsageException("--mapping NAME is required.");
        var entry = catalog.Entries.FirstOrDefault(e => e.Name == name);
        if (entry is null)
        {
            context.Error.WriteLine($"hub map: no mapping '{name}' in {catalog.Root}: run `hub mappings` for the list.");
            return 2;
        }
        if (!entry.Loaded)
        {
            // Every error, one line each: an admin fixes the file in one pass.
            entry.Errors.ToList().ForEach(e => context.Error.WriteLine($"hub map: mapping '{name}' does not load: {e}"));
            return 2;
        }
        if (!File.Exists(file))
        {
            context.Error.WriteLine($"hub map: {file} does not exist: check the path.");
            return 2;
        }
        using var target = new MemoryStream();
        MappingOutcome outcome;
        await using (var source = File.OpenRead(file))
        {
            outcome = entry.Mapping!.Map(source, target, cancellationToken);
        }
        if (!outcome.Succeeded)
        {
            var f = outcome.Findings[0];
            context.Error.WriteLine($"hub map: {file}: {f.SourcePath}: {f.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        if (options.Value("-o") is { } output)
        {
            await File.WriteAllBytesAsync(output, target.ToArray(), cancellationToken);
        }
        else
        {
            context.Out.Write(System.Text.Encoding.UTF8.GetString(target.ToArray()).TrimStart('\uFEFF'));
            context.Out.WriteLine();
        }
        return 0;
    }

    private static int Test(MappingCatalog catalog, List<string> names, CliContext context)
    {
        var failed = 0;
        var passed = 0;
        foreach (var entry in catalog.Entries.Where(e => names.Count == 0 || names.Contains(e.Name)))
        {
            if (!entry.Loaded)
            {
                entry.Errors.ToList().ForEach(e => context.Error.WriteLine($"hub map test: {entry.Name}: {e}"));
                failed++;
                continue;
            }
            foreach (var r in MappingFixtures.Run(entry.Mapping!, Path.Combine(catalog.Root, entry.Name)))
            {
                if (r.Passed)
                {
                    passed++;
                    continue;
                }
                failed++;
                context.Out.WriteLine($"FAIL {entry.Name}/{Path.GetFileName(r.Input)}{(r.Failure is null ? "" : ": " + r.Failure)}");
                if (r.Failure is null)
                {
                    context.Out.Write(MappingFixtures.UnifiedDiff(r.Expected, r.Actual, "expected", "actual"));
                }
            }
        }
        context.Out.WriteLine($"{passed} passed, {failed} failed.");
        return failed == 0 ? 0 : 1;
    }
}
