using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub map FILE --mapping NAME [-o OUT] [--no-validate]`: exit 0 mapped and the output valid against the target (its
/// XSD, or the EDIFACT directory at the codes level, as the pipeline checks it before signing), 1 invalid input,
/// mapping failed or invalid output (each error on its own line, nothing written to OUT), 2 usage or mapping load error. `hub map test [NAME...]`: runs every fixture, a unified diff per mismatch, exit 1 if any differs.
/// </summary>
internal sealed class MapVerb : ICliVerb
{
    public string Name => "map";

    public string Usage => "map FILE --mapping NAME [-o OUT] [--no-validate] | map test [NAME...]   map a document (output checked against the target), or run the mappings' fixtures";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--config", "--mapping", "-o"], ["--no-validate"]);
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
        // Streamed to a temporary file beside the output (a 100 MB interchange is mapped message by message, never held
        // whole), which becomes OUT only when the whole document mapped: nothing half-mapped is left behind.
        var output = options.Value("-o");
        var temporary = output is null ? Path.GetTempFileName() : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileName(output)}.{Environment.ProcessId}.tmp");
        try
        {
            MappingOutcome outcome;
            await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            await using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                outcome = entry.Mapping!.Map(source, target, cancellationToken);
            }
            if (!outcome.Succeeded)
            {
                var f = outcome.Findings[0];
                context.Error.WriteLine($"hub map: {file}: {f.SourcePath}: {f.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
            // --no-validate measures the mapping stage alone (docs/benchmarks.md): the pipeline never skips this check.
            if (!options.Flag("--no-validate") && await InvalidOutputAsync(entry.Mapping!, file, temporary, options, context, cancellationToken))
            {
                return 1;
            }
            if (output is not null)
            {
                File.Move(temporary, output, overwrite: true);
            }
            else
            {
                await WriteToAsync(temporary, context.Out, cancellationToken);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
        return 0;
    }

    /// <summary>The pipeline's check of a mapped document (MappedOutputValidator); true, with every error written, when it fails.</summary>
    private static async Task<bool> InvalidOutputAsync(IMapping mapping, string file, string mapped, CliArgs options, CliContext context, CancellationToken cancellationToken)
    {
        var hub = CliHub.LoadOptions(options.Value("--config"), options.Switches);
        var validator = new MappedOutputValidator(hub, TimeProvider.System, CliHub.Inspectors(hub));
        var target = mapping.Descriptor.Target;
        var findings = await validator.ValidateAsync(target, CliHub.Record(file, new FileInfo(mapped).Length), () => File.OpenRead(mapped), cancellationToken);
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        foreach (var error in errors)
        {
            context.Error.WriteLine($"hub map: {file}: the mapped output is not valid {target.Format} {target.Standard}: {error.Code} at {error.Location}: {error.Message.ReplaceLineEndings(" ")}");
        }
        return errors.Count > 0;
    }

    /// <summary>The mapped file to standard output as text, in blocks (the BOM left out), then a newline.</summary>
    private static async Task WriteToAsync(string file, TextWriter output, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[1 << 15];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        await output.WriteLineAsync();
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
