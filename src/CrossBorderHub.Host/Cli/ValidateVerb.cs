using System.Text.Json;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub validate FILE... [--directory D96B] [--level syntax|envelope|directory|codes] [--profile strict|lenient] [--json]`:
/// validates EDIFACT interchanges and XML documents with the same inspectors as the pipeline (a folder: every file under it). One
/// finding per line on stdout (`file: seg N offset O TAG pos P: ERROR code: message`) or a JSON array; progress on
/// stderr for many files. Exit 0 all valid, 1 any invalid, 2 usage error, unreadable file or a folder without files.
/// </summary>
internal sealed class ValidateVerb : ICliVerb
{
    private static readonly string[] Levels = ["syntax", "envelope", "directory", "codes"];

    public string Name => "validate";

    public string Usage => "validate FILE|FOLDER... [--directory D96B] [--level syntax|envelope|directory|codes] [--profile strict|lenient] [--json]   validate EDIFACT/XML files";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        EdifactValidator.WarmUp(); // compiles on the other core while the options and the first file are read
        var options = CliArgs.Parse(args, ["--directory", "--level", "--profile", "--config"], ["--json"]);
        if (options.Error is not null || options.Files.Count == 0)
        {
            context.Error.WriteLine(options.Error ?? "hub validate: no file given.");
            context.Error.WriteLine("usage: hub " + Usage);
            return 2;
        }
        var level = options.Value("--level");
        if (level is not null && !Levels.Contains(level, StringComparer.OrdinalIgnoreCase))
        {
            context.Error.WriteLine($"hub validate: --level must be one of {string.Join(", ", Levels)}, not '{level}'.");
            return 2;
        }
        var profile = options.Value("--profile");
        if (profile is not null && EdifactTolerance.Named(profile) is null)
        {
            context.Error.WriteLine($"hub validate: --profile must be one of {string.Join(", ", EdifactTolerance.Names)}, not '{profile}'.");
            return 2;
        }
        HubOptions hub;
        try
        {
            hub = CliHub.LoadOptions(options.Value("--config"), options.Switches);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            context.Error.WriteLine($"hub validate: cannot read the configuration: {e.Message}");
            return 2;
        }
        if (HubPaths.MissingSchemas(hub.Processing.SchemasPath) is { } missing)
        {
            // Every file would fail "directory not loaded": a setup problem (exit 2), not invalid input.
            context.Error.WriteLine($"hub validate: {missing}");
            return 2;
        }
        var files = ExpandFolders(options.Files);
        if (files.Count == 0)
        {
            context.Error.WriteLine("hub validate: the folder(s) given hold no file.");
            return 2;
        }
        var inspectors = CliHub.Inspectors(hub);
        // Without --profile the CLI has no partner to take one from: strict (EdifactToleranceOptions.Resolve).
        var overrides = new InspectionOverrides(level, options.Value("--directory"), profile);
        var json = options.Flag("--json");
        var reports = new List<object>();
        int exit = 0, invalid = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (files.Count > 1)
            {
                context.Error.Write($"\rvalidating {i + 1}/{files.Count} ({invalid} invalid) ");
            }
            var (code, report) = await ValidateFileAsync(file, inspectors, hub, overrides, json ? null : context.Out,
                files.Count == 1 ? context.Error : TextWriter.Null, context.Error, cancellationToken);
            exit = Math.Max(exit, code == 1 && exit == 2 ? 2 : code);
            invalid += code == 1 ? 1 : 0;
            if (report is not null)
            {
                reports.Add(report);
            }
        }
        if (files.Count > 1)
        {
            context.Error.WriteLine($"\r{files.Count} file(s) validated, {invalid} invalid.          ");
        }
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(reports, CliHub.Json));
        }
        return exit;
    }

    /// <summary>A folder stands for every file under it (a drop folder, a batch), in name order; files stay as given.</summary>
    private static List<string> ExpandFolders(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }
        return files;
    }

    private static async Task<(int Code, object? Report)> ValidateFileAsync(string file, IReadOnlyList<IDocumentInspector> inspectors,
        HubOptions hub, InspectionOverrides overrides, TextWriter? text, TextWriter notes, TextWriter error, CancellationToken cancellationToken)
    {
        var (head, length, unreadable) = await CliHub.ReadHeadAsync(file, cancellationToken);
        if (unreadable is not null)
        {
            error.WriteLine($"\n{file}: cannot read: {unreadable}");
            return (2, new { file, readable = false, error = unreadable });
        }
        var inspector = inspectors.FirstOrDefault(i => i.Recognizes(head));
        if (inspector is null)
        {
            const string unknown = "unknown format: neither EDIFACT (UNA/UNB) nor an XML document a loaded inspector recognises";
            text?.WriteLine($"{file}: ERROR format: {unknown}");
            return (1, new { file, valid = false, format = "Unknown", findings = new[] { new { severity = "Error", code = "format", message = unknown, location = "" } } });
        }
        (inspector as EdifactInspector)?.Prepare(head, overrides);
        var record = CliHub.Record(file, length);
        var request = new InspectionRequest(record, () => File.OpenRead(file), "cli", null, hub, overrides);
        var inspection = await inspector.InspectAsync(request, cancellationToken);
        foreach (var finding in inspection.Findings)
        {
            text?.WriteLine($"{file}: {finding}");
        }
        if (!inspection.HasErrors && text is not null)
        {
            notes.WriteLine($"{file}: valid {inspector.Format} {inspection.Identity.DocumentType}".TrimEnd());
        }
        var id = inspection.Identity;
        return (inspection.HasErrors ? 1 : 0, new
        {
            file,
            valid = !inspection.HasErrors,
            format = inspector.Format.ToString(),
            documentType = id.DocumentType,
            sender = id.Sender,
            recipient = id.Recipient,
            controlReference = id.ControlReference,
            isTest = id.IsTest,
            acknowledgementRequested = id.AcknowledgementRequested,
            findings = inspection.Findings.Select(f => new { severity = f.Severity.ToString(), code = f.Code, message = f.Message, location = f.Location }),
        });
    }
}
