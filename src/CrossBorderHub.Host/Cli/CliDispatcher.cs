namespace CrossBorderHub.Host.Cli;

/// <summary>Picks the verb (default "run") and runs it; turns cancellation (Ctrl+C) into a clean exit.</summary>
internal static class CliDispatcher
{
    // Listed, not found by reflection: scanning this assembly's types loads every assembly they touch (Quartz, the
    // web host...), which a one-shot verb such as `hub validate` pays for in start-up time and memory.
    public static IReadOnlyList<ICliVerb> Verbs { get; } =
        new ICliVerb[] { new CertificatesVerb(), new ConfigVerb(), new ContrlVerb(), new DirectoriesVerb(), new DocumentsVerb(), new MapVerb(), new MappingsVerb(), new MessagesVerb(), new ReplayVerb(), new RunVerb(), new SignVerb(), new StatisticsVerb(), new ToEdiVerb(), new ToXmlVerb(), new UsersVerb(), new ValidateVerb(), new VerifyVerb() }
        .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var verbName = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        if (verbName is "help" || (args.Length > 0 && args[0] is "--help" or "-h"))
        {
            PrintHelp(output);
            return 0;
        }
        var verb = Verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            error.WriteLine($"hub: unknown verb '{verbName}'. Run 'hub help' for the list.");
            return 2;
        }
        if (rest.Any(a => a is "--help" or "-h"))
        {
            // Answered before the verb runs: `hub run --help` must never start the worker.
            output.WriteLine($"usage: hub {verb.Usage}");
            return 0;
        }
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The `run` verb handles Ctrl+C through the host's lifetime; other verbs stop at the next await.
            if (verb.Name != "run")
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await verb.RunAsync(rest, new CliContext(output, error, rest), cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            error.WriteLine("hub: cancelled.");
            return 130;
        }
        catch (FileNotFoundException ex)
        {
            // A missing --config file: the loader's message names the path and the fix.
            error.WriteLine($"hub {verb.Name}: {ex.Message}");
            return 2;
        }
        catch (InvalidDataException ex)
        {
            // The configuration file is not valid JSON: the parser's message says where.
            error.WriteLine($"hub {verb.Name}: {OneLine(ex.Message)} {OneLine(ex.InnerException?.Message)}: fix the JSON (a missing comma or quote?).".Replace("  ", " ", StringComparison.Ordinal));
            return 2;
        }
        catch (CrossBorderHub.Storage.StoreSchemaException ex)
        {
            // A table an older version created lacks a column: one line naming it and the fix, not a database stack trace.
            error.WriteLine($"hub {verb.Name}: {ex.Message}");
            return 2;
        }
        catch (UsageException ex)
        {
            error.WriteLine($"hub {verb.Name}: {ex.Message} usage: hub {verb.Usage}");
            return 2;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string OneLine(string? text) => (text ?? "").ReplaceLineEndings(" ").Trim();

    private static void PrintHelp(TextWriter output)
    {
        output.WriteLine("hub — CrossBorderHub, the EDI and document-exchange hub between national single windows.");
        output.WriteLine();
        output.WriteLine("usage: hub [VERB] [ARGS...] [--config FILE] [--Hub:Setting=value ...]");
        output.WriteLine();
        foreach (var verb in Verbs)
        {
            output.WriteLine($"  {verb.Usage}");
        }
        output.WriteLine();
        output.WriteLine("Exit codes: 0 success, 1 invalid input or failure, 2 usage or I/O error.");
    }
}

/// <summary>A bad command line found while a verb reads its arguments: one line and exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
