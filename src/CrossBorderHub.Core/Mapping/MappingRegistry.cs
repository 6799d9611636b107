using CrossBorderHub.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// The mappings of the running hub: one <see cref="MappingCatalog"/> over Hub:Processing:MappingsPath, reloaded when
/// a file of the folder changes (file watcher, periodic re-check, and a cheap check before every message, so an edit
/// applies to the next message even when no file event arrives). An edit that does not load leaves the last good
/// version in force and is logged with every error; the state is visible in the entries (`GET /api/mappings`).
/// </summary>
public sealed class MappingRegistry
{
    private readonly MappingCatalog _catalog;
    private readonly ILogger<MappingRegistry> _logger;
    private readonly object _gate = new();
    private string _fingerprint;
    private IReadOnlyList<MappingEntry> _entries;

    /// <param name="compilers">The engines by kind; null: those the catalog ships with.</param>
    public MappingRegistry(HubOptions options, ILogger<MappingRegistry> logger, IEnumerable<IMappingCompiler>? compilers = null)
    {
        _logger = logger;
        _catalog = new MappingCatalog(HubPaths.ResolveShipped(options.Processing.MappingsPath), compilers);
        _fingerprint = Fingerprint(_catalog.Root);
        _entries = _catalog.Load().Entries;
    }

    public string Root => _catalog.Root;

    public IReadOnlyList<MappingEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>
    /// Raised after the entries were replaced, by whichever caller reloaded (the watcher, the pipeline before a message,
    /// the API): what is in force is reported at once, not at the watcher's next re-check.
    /// </summary>
    public event Action? Changed;

    /// <summary>Load errors of the mappings as they are now on disk (the start-up check refuses any).</summary>
    public IReadOnlyList<MappingLoadError> Errors => Entries.SelectMany(e => e.Errors).ToList();

    public MappingEntry? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    /// <summary>The version in force for <paramref name="name"/> after picking up any edit; null when none loads.</summary>
    public IMapping? Current(string name)
    {
        ReloadIfChanged();
        return Find(name)?.Mapping;
    }

    /// <summary>Loads every mapping again, changed or not (what it depends on outside its folder may have changed).</summary>
    public void Reload()
    {
        lock (_gate)
        {
            Volatile.Write(ref _entries, _catalog.Load().Entries);
            Volatile.Write(ref _fingerprint, Fingerprint(_catalog.Root));
        }
        Changed?.Invoke();
    }

    /// <summary>Reloads when any file under the mappings folder (fixtures aside) changed; true when it did.</summary>
    public bool ReloadIfChanged()
    {
        var now = Fingerprint(_catalog.Root);
        if (now == Volatile.Read(ref _fingerprint))
        {
            return false;
        }
        lock (_gate)
        {
            if (now == _fingerprint)
            {
                return false;
            }
            var before = _entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
            var after = _catalog.Load().Entries;
            foreach (var entry in after)
            {
                Report(before.GetValueOrDefault(entry.Name), entry);
            }
            foreach (var gone in before.Keys.Except(after.Select(e => e.Name), StringComparer.Ordinal))
            {
                _logger.LogWarning("Mapping {Name}: its folder is gone; routes naming it now reject their messages", gone);
            }
            Volatile.Write(ref _entries, after);
            Volatile.Write(ref _fingerprint, now);
        }
        Changed?.Invoke();
        return true;
    }

    private void Report(MappingEntry? before, MappingEntry after)
    {
        var descriptor = after.Mapping?.Descriptor;
        if (after.Loaded)
        {
            if (before?.Mapping?.Descriptor.ContentHash != descriptor!.ContentHash)
            {
                _logger.LogInformation("Mapping {Name} version {Version} (sha256 {Hash}) loaded; it applies from the next message", after.Name, descriptor.Version, descriptor.ContentHash);
            }
            return;
        }
        if (before is not null && before.Errors.SequenceEqual(after.Errors))
        {
            return;
        }
        var errors = string.Join(" | ", after.Errors);
        if (descriptor is null)
        {
            _logger.LogWarning("Mapping {Name} does not load, nothing of it can run: {Errors}", after.Name, errors);
        }
        else
        {
            _logger.LogWarning("Mapping {Name}: the edit does not load; version {Version} (sha256 {Hash}) stays in force: {Errors}", after.Name, descriptor.Version, descriptor.ContentHash, errors);
        }
    }

    /// <summary>Path, size and write time of every file (tests/ aside): a stat per file, cheap enough per message.</summary>
    private static string Fingerprint(string root)
    {
        if (!Directory.Exists(root))
        {
            return "";
        }
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/') is [_, "tests", ..])
            {
                continue;
            }
            var info = new FileInfo(file);
            text.Append(relative).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return text.ToString();
    }
}
