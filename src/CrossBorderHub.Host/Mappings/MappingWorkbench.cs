using System.Text;
using System.Text.Json.Nodes;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Mappings;

/// <summary>A mapping's editable text: its rules file (rules.json or the .xsl) and the version in mapping.json.</summary>
internal sealed record MappingSource(string Name, string Version, string Kind, string RulesFile, string Rules, MappingEnd Source, MappingEnd Target);

/// <summary>A load error as the editor shows it: the file relative to the mapping folder, so the editor can mark its line.</summary>
internal sealed record EditorError(string File, int Line, int Column, string Problem, string Fix);

/// <summary>What a trial run produced: load errors (nothing ran), or the output with the mapping's and the validator's findings.</summary>
internal sealed record TrialRun(IReadOnlyList<EditorError> Errors, string? Output, IReadOnlyList<string> MappingFindings, IReadOnlyList<Finding> Validation);

/// <summary>
/// The browser editor's engine. An edit is compiled by the same loader as hot reload (<see cref="MappingCatalog"/>)
/// in a scratch copy of the mapping folder, so "run" never touches the version in force and "save" writes the files
/// only when that copy loads without an error; the registry then picks the new version up as it does any edit.
/// </summary>
internal sealed class MappingWorkbench(HubOptions options, MappingRegistry registry, IEnumerable<IDocumentInspector> inspectors, TimeProvider time)
{
    private readonly IMappingCompiler[] _compilers = MappingCatalog.Compilers(Core.Edifact.SchemasLocator.EdifactRoot(options.Processing.SchemasPath));
    private readonly Lock _saving = new();

    public MappingSource? Read(string name)
    {
        if (!IsName(name) || !Directory.Exists(Path.Combine(registry.Root, name)))
        {
            return null;
        }
        var folder = Path.Combine(registry.Root, name);
        var manifest = MappingCatalog.ReadManifest(folder, new List<MappingLoadError>());
        if (manifest is null || !File.Exists(manifest.RulesFile))
        {
            return null;
        }
        return new MappingSource(name, manifest.Version, manifest.Kind, Path.GetRelativePath(folder, manifest.RulesFile).Replace('\\', '/'),
            File.ReadAllText(manifest.RulesFile), manifest.Source, manifest.Target);
    }

    /// <summary>Folder names only: no path separators, no "..", nothing hidden.</summary>
    public static bool IsName(string name) => name.Length is > 0 and <= 100 && !name.StartsWith('.') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The next version: the last number bumped ("1.0" -> "1.1", "2" -> "3"), or ".1" appended.</summary>
    public static string NextVersion(string version)
    {
        var parts = version.Split('.');
        return int.TryParse(parts[^1], out var last) ? string.Join('.', parts[..^1].Append((last + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))) : version + ".1";
    }

    public async Task<TrialRun> RunAsync(MappingSource current, string? rules, byte[] sample, CancellationToken cancellationToken)
    {
        using var scratch = Scratch(current, rules ?? current.Rules, current.Version);
        if (scratch.Errors.Count > 0 || scratch.Mapping is not { } mapping)
        {
            return new TrialRun(scratch.Errors, null, [], []);
        }
        using var output = new MemoryStream();
        var outcome = await Task.Run(() => mapping.Map(new MemoryStream(sample), output, cancellationToken), cancellationToken);
        if (!outcome.Succeeded)
        {
            return new TrialRun([], null, [.. outcome.Findings.Select(f => $"{f.SourcePath}: {f.Message}")], []);
        }
        var bytes = output.ToArray();
        var validator = new MappedOutputValidator(options, time, inspectors);
        var message = new MessageRecord
        {
            Id = "editor-trial", ReceivedAt = time.GetUtcNow(), SourcePartner = "", SourceChannel = "editor", RemoteName = "sample",
            BlobHash = "", Length = bytes.Length, Status = MessageStatus.Received,
        };
        var findings = await validator.ValidateAsync(mapping.Descriptor.Target, message, () => new MemoryStream(bytes), cancellationToken);
        return new TrialRun([], Encoding.UTF8.GetString(bytes), [], findings);
    }

    /// <summary>Writes the edit as <paramref name="version"/> when it loads; the errors otherwise (nothing written).</summary>
    public Task<(IReadOnlyList<EditorError> Errors, MappingEntry? Saved)> SaveAsync(MappingSource current, string rules, string version)
    {
        version = version.Trim();
        if (version.Length == 0 || version == current.Version)
        {
            return Task.FromResult<(IReadOnlyList<EditorError>, MappingEntry?)>(([new EditorError("mapping.json", 0, 0, $"the version must change (it is {current.Version}).", $"give a new version, e.g. {NextVersion(current.Version)}.")], null));
        }
        // One save at a time: two admins saving the same mapping must not interleave its two files.
        lock (_saving)
        {
            using (var scratch = Scratch(current, rules, version))
            {
                if (scratch.Errors.Count > 0 || scratch.Mapping is null)
                {
                    return Task.FromResult<(IReadOnlyList<EditorError>, MappingEntry?)>((scratch.Errors, null));
                }
            }
            var folder = Path.Combine(registry.Root, current.Name);
            // The rules first, then the manifest with the new version: each replaced whole (temporary name, then rename).
            Replace(Path.Combine(folder, current.RulesFile), rules);
            Replace(Path.Combine(folder, "mapping.json"), WithVersion(File.ReadAllText(Path.Combine(folder, "mapping.json")), version));
            registry.ReloadIfChanged();
            return Task.FromResult<(IReadOnlyList<EditorError>, MappingEntry?)>(([], registry.Find(current.Name)));
        }
    }

    private ScratchCopy Scratch(MappingSource current, string rules, string version)
    {
        var root = Directory.CreateTempSubdirectory("hub-mapping-edit-").FullName;
        var scratch = new ScratchCopy(root);
        var source = Path.Combine(registry.Root, current.Name);
        var folder = Path.Combine(root, current.Name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] == "tests")
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, relative))!);
            File.Copy(file, Path.Combine(folder, relative));
        }
        File.WriteAllText(Path.Combine(folder, current.RulesFile), rules);
        File.WriteAllText(Path.Combine(folder, "mapping.json"), WithVersion(File.ReadAllText(Path.Combine(folder, "mapping.json")), version));
        var entry = new MappingCatalog(root, _compilers).Load().Entries.Single();
        scratch.Mapping = entry.Loaded ? entry.Mapping : null;
        scratch.Errors = [.. entry.Errors.Select(e => new EditorError(Relative(folder, e.File), e.Line, e.Column, e.Problem, e.Fix))];
        return scratch;
    }

    private static string Relative(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) || relative == "." ? Path.GetFileName(file) : relative;
    }

    private static string WithVersion(string manifest, string version)
    {
        var json = JsonNode.Parse(manifest, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["version"] = version;
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static void Replace(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".saving");
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class ScratchCopy(string root) : IDisposable
    {
        public IMapping? Mapping { get; set; }

        public IReadOnlyList<EditorError> Errors { get; set; } = [];

        public void Dispose()
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A scratch copy left in the temp folder is harmless.
            }
        }
    }
}
