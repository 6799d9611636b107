using System.Text.Json;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        byte[] head;
        long length;
        try
        {
            await using var stream = File.OpenRead(file);
            length = stream.Length;
            head = new byte[(int)Math.Min(4096, length)];
            await stream.ReadExactlyAsync(head, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"\n{file}: cannot read: {e.Message}");
            return (2, new { file, readable = false, error = e.Message });
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

/// <summary>Arguments after a verb: files, options with a value, flags, and --Hub:X=Y configuration switches.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Files { get; } = [];

    public List<string> Switches { get; } = [];

    public string? Error { get; private set; }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public bool Flag(string name) => _flags.Contains(name);

    public static CliArgs Parse(string[] args, string[] withValue, string[] flags)
    {
        var result = new CliArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (withValue.Contains(arg))
            {
                if (i + 1 >= args.Length)
                {
                    result.Error = $"{arg} needs a value.";
                    return result;
                }
                result._values[arg] = args[++i];
            }
            else if (flags.Contains(arg))
            {
                result._flags.Add(arg);
            }
            else if (arg.StartsWith("--Hub:", StringComparison.OrdinalIgnoreCase))
            {
                result.Switches.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    result.Switches.Add(args[++i]);
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                result.Error = $"unknown option {arg}.";
                return result;
            }
            else
            {
                result.Files.Add(arg);
            }
        }
        return result;
    }
}

/// <summary>What the EDIFACT verbs need of the hub without starting it: options and the document inspectors.</summary>
internal static class CliHub
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static HubOptions LoadOptions(string? configFile, IReadOnlyList<string> switches)
    {
        if (configFile is null && switches.Count == 0)
        {
            return new HubOptions(); // nothing to bind: the defaults, without the binder's start-up cost
        }
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.AddCommandLine([.. switches]);
        var hub = new HubOptions();
        builder.Build().GetSection(HubOptions.SectionName).Bind(hub);
        return hub;
    }

    /// <summary>
    /// Every inspector of the Core assembly, EDIFACT first. Listed rather than found by reflection, which loaded every
    /// type of the Core assembly at each `hub validate` (a test checks none is missing).
    /// </summary>
    public static IReadOnlyList<IDocumentInspector> Inspectors(HubOptions hub) =>
    [
        new EdifactInspector(hub, TimeProvider.System),
        new XmlInspector(hub, TimeProvider.System, NullLogger<XmlInspector>.Instance),
    ];

    public static MessageRecord Record(string file, long length) => new()
    {
        Id = "cli-" + Path.GetFileName(file),
        ReceivedAt = TimeProvider.System.GetUtcNow(),
        SourcePartner = "cli",
        SourceChannel = "cli",
        RemoteName = Path.GetFileName(file),
        BlobHash = "",
        Length = length,
        Status = MessageStatus.Received,
    };

    /// <summary>Writes bytes to the output: to the process's stdout stream as is, or Latin-1 text to a test writer.</summary>
    public static void WriteBytes(CliContext context, byte[] bytes)
    {
        if (ReferenceEquals(context.Out, Console.Out))
        {
            context.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
            return;
        }
        context.Out.Write(System.Text.Encoding.Latin1.GetString(bytes));
    }
}
