using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>
/// One UN/EDIFACT directory (e.g. D96B) loaded from its folder of UNECE text files. Segments and code lists are
/// parsed on first use, message structures per message type on first use; all kept in memory, shared by every
/// validator through <see cref="DirectoryRegistry"/>.
/// </summary>
public sealed class EdifactDirectory
{
    private readonly Lazy<DirectoryCache.Content> _content;
    // Lazy entries: threads asking for the same message type at once (chunks, a prefetch) parse its file once.
    private readonly ConcurrentDictionary<string, Lazy<MessageSpec?>> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageFiles;
    private readonly string[] _sources;

    public EdifactDirectory(string name, string folder)
    {
        Name = name;
        Folder = folder;
        var files = System.IO.Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().ToArray();
        var segmentFile = files.FirstOrDefault(f => f.StartsWith("EDSD.", StringComparison.OrdinalIgnoreCase))
            ?? files.FirstOrDefault(f => f.StartsWith("TRSD.", StringComparison.OrdinalIgnoreCase));
        var codeFiles = files.Where(f => f.StartsWith("UNCL.", StringComparison.OrdinalIgnoreCase)
            || f.StartsWith("UNCL-", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
        // Segments and code lists come together: from the binary cache when it matches the files, else parsed.
        var sources = codeFiles.Prepend(segmentFile).OfType<string>().Select(f => Path.Combine(folder, f)).ToArray();
        _sources = sources;
        _content = new(() => DirectoryCache.Load(name, folder, sources,
            () => segmentFile is null ? [] : UneceDirectoryLoader.LoadSegments(Path.Combine(folder, segmentFile)),
            () => UneceDirectoryLoader.LoadCodes(codeFiles.Select(f => Path.Combine(folder, f)))));
        _messageFiles = files.Where(f => f.Length > 7 && f[6] == '_' && f[..6].All(char.IsAsciiLetterUpper))
            .ToDictionary(f => f[..6], f => Path.Combine(folder, f), StringComparer.Ordinal);
    }

    public string Name { get; }

    public string Folder { get; }

    public IReadOnlyDictionary<string, SegmentSpec> Segments => _content.Value.Segments;

    /// <summary>True when the segments and code lists were read from the binary cache instead of the UNECE text.</summary>
    internal bool LoadedFromCache => _content.Value.FromCache;

    /// <summary>
    /// True when the binary cache beside the directory matches its files and is undamaged, so the next load reads
    /// it instead of the text. Reads the cache file (no parsing); for listings, it does not load the directory.
    /// </summary>
    public bool HasCurrentCache => DirectoryCache.IsCurrent(Name, Folder, _sources);

    private SegmentSpec?[]? _byIndex;
    private volatile bool _codesAttached;

    /// <summary>Segment specifications by <see cref="TagKey"/> (no string per lookup).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SegmentSpec? FindSegment(int tagKey)
    {
        // A dense table (one slot per possible tag): this runs once per segment of every interchange.
        var table = _byIndex ??= BuildIndex(_content.Value.Segments.Values);
        var i = TagKey.Index(tagKey);
        return i < 0 ? null : table[i];
    }

    private static SegmentSpec?[] BuildIndex(IEnumerable<SegmentSpec> segments)
    {
        var table = new SegmentSpec?[TagKey.IndexCount];
        foreach (var spec in segments)
        {
            var i = TagKey.Index(TagKey.Of(spec.Tag));
            if (i >= 0)
            {
                table[i] = spec;
            }
        }
        return table;
    }

    /// <summary>Links every coded element of the segment specifications to its UNCL code list (once).</summary>
    public void AttachCodeLists()
    {
        if (_codesAttached)
        {
            return;
        }
        lock (_messages)
        {
            if (_codesAttached)
            {
                return;
            }
            var sets = _content.Value.Codes.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => new CodeSet(kv.Value), StringComparer.Ordinal);
            foreach (var spec in _content.Value.Segments.Values)
            {
                foreach (var element in spec.Elements)
                {
                    foreach (var value in element.Components ?? [element.Simple!])
                    {
                        value.Codes = sets.GetValueOrDefault(value.Id);
                    }
                }
            }
            _codesAttached = true;
        }
    }

    /// <summary>Code lists by data element number (UNCL).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Codes => _content.Value.Codes;

    public IEnumerable<string> MessageTypes => _messageFiles.Keys;

    /// <summary>The structure of <paramref name="type"/>, or null when the directory does not define it.</summary>
    public MessageSpec? GetMessage(string type) =>
        _messages.GetOrAdd(type, t => new Lazy<MessageSpec?>(() => _messageFiles.TryGetValue(t, out var file) ? UneceDirectoryLoader.LoadMessage(t, file) : null)).Value;
}

/// <summary>
/// The directories found under a schemas folder (schemas/edifact/D96B, .../D01B...). A folder dropped there is a
/// new directory at the next lookup: no recompilation. Loaded directories are cached per folder for the process.
/// </summary>
public sealed class DirectoryRegistry
{
    private static readonly ConcurrentDictionary<string, EdifactDirectory> Cache = new(StringComparer.Ordinal);

    public DirectoryRegistry(string edifactRoot)
    {
        Root = Path.GetFullPath(edifactRoot);
    }

    /// <summary>The folder holding one sub-folder per directory (e.g. schemas/edifact).</summary>
    public string Root { get; }

    public IEnumerable<string> Names => System.IO.Directory.Exists(Root)
        ? System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith("service", StringComparison.Ordinal) && !n.StartsWith('.')) // .cache: parsed directories
        : [];

    /// <summary>Directory by name ("D96B", also "D.96B"); null when no such folder exists.</summary>
    public EdifactDirectory? Find(string name)
    {
        var clean = name.Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        if (clean.Length == 0 || clean.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            return null;
        }
        var folder = Path.Combine(Root, clean);
        if (!System.IO.Directory.Exists(folder))
        {
            return null;
        }
        return Cache.GetOrAdd(folder, f => new EdifactDirectory(clean, f));
    }
}
