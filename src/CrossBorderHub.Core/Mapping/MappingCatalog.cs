using System.Text.Json;
using CrossBorderHub.Core.Mapping.Declarative;
using CrossBorderHub.Core.Mapping.Xslt;

namespace CrossBorderHub.Core.Mapping;

/// <summary>One mapping folder as the catalog last saw it: the mapping in force (if any) and the errors of the last load.</summary>
public sealed record MappingEntry(string Name, IMapping? Mapping, IReadOnlyList<MappingLoadError> Errors)
{
    public bool Loaded => Errors.Count == 0 && Mapping is not null;

    /// <summary><c>loaded</c>; <c>last-good</c> (the last edit does not load, the version before it stays in force);
    /// <c>error</c> (nothing of this mapping can run).</summary>
    public string State => Loaded ? "loaded" : Mapping is null ? "error" : "last-good";
}

/// <summary>
/// Loads every mappings/&lt;name&gt;/mapping.json and compiles it with the compiler of its kind. Every error of every
/// folder is collected (an admin fixes them in one pass). <see cref="Load"/> can be called again: a folder whose
/// reload fails keeps its last good mapping in force, with the new errors beside it.
/// </summary>
public sealed class MappingCatalog(string root, IEnumerable<IMappingCompiler>? compilers = null)
{
    private readonly Dictionary<string, IMappingCompiler> _compilers =
        (compilers ?? [new XsltMappingCompiler()]).ToDictionary(c => c.Kind, StringComparer.Ordinal);

    private readonly Dictionary<string, MappingEntry> _entries = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    /// <summary>Every engine of this hub: XSLT, and the declarative one checking EDIFACT paths against <paramref name="edifactRoot"/>.</summary>
    public static IMappingCompiler[] Compilers(string edifactRoot) => [new XsltMappingCompiler(), new DeclarativeMappingCompiler(edifactRoot)];

    public IReadOnlyList<MappingEntry> Entries => _entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<MappingLoadError> Errors => Entries.SelectMany(e => e.Errors).ToList();

    public IMapping? Find(string name) => _entries.TryGetValue(name, out var entry) ? entry.Mapping : null;

    /// <summary>(Re)loads every folder; returns this catalog for chaining.</summary>
    public MappingCatalog Load()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(Root))
        {
            foreach (var folder in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                seen.Add(name);
                var errors = new List<MappingLoadError>();
                var manifest = ReadManifest(folder, errors);
                IMapping? mapping = null;
                if (manifest is not null)
                {
                    if (_compilers.TryGetValue(manifest.Kind, out var compiler))
                    {
                        mapping = compiler.Compile(manifest, errors);
                    }
                    else
                    {
                        errors.Add(new(Path.Combine(folder, "mapping.json"), 0, 0, $"kind '{manifest.Kind}' has no engine in this hub.", $"set \"kind\" to one of: {string.Join(", ", _compilers.Keys.Order())}."));
                    }
                }
                // Keep the last good version in force when a reload fails.
                var previous = _entries.GetValueOrDefault(name)?.Mapping;
                _entries[name] = errors.Count == 0 && mapping is not null
                    ? new(name, mapping, [])
                    : new(name, previous, errors.Count > 0 ? errors : [new(folder, 0, 0, "the mapping did not load.", "see the mapping's files.")]);
            }
        }
        foreach (var gone in _entries.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _entries.Remove(gone);
        }
        return this;
    }

    /// <summary>Reads mapping.json; every missing or wrong field is its own error with the JSON position.</summary>
    public static MappingManifest? ReadManifest(string folder, ICollection<MappingLoadError> errors)
    {
        var file = Path.Combine(folder, "mapping.json");
        if (!File.Exists(file))
        {
            errors.Add(new(file, 0, 0, "the mapping folder has no mapping.json.", "add mapping.json (see docs/mapping.md) or remove the folder."));
            return null;
        }
        ManifestJson? json;
        try
        {
            json = JsonSerializer.Deserialize<ManifestJson>(File.ReadAllText(file), JsonOptions);
        }
        catch (JsonException ex)
        {
            // JsonException positions are 0-based.
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            errors.Add(new(file, line, column, $"mapping.json is not valid: {ex.Message.Split(" Path:")[0]}", "fix the JSON at that position (a missing comma or quote, or a value of the wrong type?)."));
            return null;
        }
        if (json is null)
        {
            errors.Add(new(file, 1, 1, "mapping.json is null.", "write an object: {\"version\": ..., \"kind\": ..., ...}."));
            return null;
        }
        var before = errors.Count;
        var name = Path.GetFileName(folder);
        if (json.Name is not null && json.Name != name)
        {
            errors.Add(new(file, 0, 0, $"\"name\" is '{json.Name}' but the folder is '{name}'.", "make them equal (or leave \"name\" out)."));
        }
        Require(json.Version, "version", "\"1.0\"", file, errors);
        Require(json.Kind, "kind", "\"xslt\"", file, errors);
        Require(json.File, "file", "\"mapping.xsl\"", file, errors);
        var source = End(json.Source, "source", file, errors);
        var target = End(json.Target, "target", file, errors);
        if (errors.Count > before)
        {
            return null;
        }
        var rules = Path.GetFullPath(Path.Combine(folder, json.File!));
        if (!rules.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            errors.Add(new(file, 0, 0, $"\"file\" '{json.File}' points outside the mapping folder.", "put the rules file in the mapping folder."));
            return null;
        }
        return new(Path.GetFullPath(folder), name, json.Version!, json.Kind!, source!, target!, rules);
    }

    private static void Require(string? value, string field, string example, string file, ICollection<MappingLoadError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(file, 0, 0, $"\"{field}\" is missing.", $"add \"{field}\": {example}."));
        }
    }

    private static MappingEnd? End(EndJson? end, string field, string file, ICollection<MappingLoadError> errors)
    {
        if (end?.Format is not ("xml" or "edifact"))
        {
            errors.Add(new(file, 0, 0, $"\"{field}.format\" is {(end?.Format is null ? "missing" : $"'{end.Format}'")}.", $"set \"{field}\": {{\"format\": \"xml\" or \"edifact\", \"standard\": ...}}."));
            return null;
        }
        return new(end.Format, end.Standard);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record ManifestJson(string? Name, string? Version, string? Kind, EndJson? Source, EndJson? Target, string? File);

    private sealed record EndJson(string? Format, string? Standard);
}
