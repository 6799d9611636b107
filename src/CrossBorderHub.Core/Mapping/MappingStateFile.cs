using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrossBorderHub.Core.Mapping;

/// <summary>One mapping as the running hub has it in force.</summary>
public sealed record MappingStateEntry(string Name, string? Version, string? Kind, string? Source, string? Target, string State,
    string? ContentHash, string? LastError, IReadOnlyList<string> Errors);

/// <summary>What `hub run` has in force, written by the hub at every load result and read by `hub mappings --config`.</summary>
public sealed record MappingState(int ProcessId, DateTimeOffset WrittenAt, string Root, IReadOnlyList<MappingStateEntry> Mappings);

/// <summary>
/// DataRoot/mappings-state.json: the hub's view of its mappings (the version in force, loaded / last-good / error,
/// the last error), so `hub mappings` run beside a running hub shows what the hub runs rather than what the files on
/// disk would load. A file rather than a store table: it is the state of one process, rewritten whole (atomically,
/// through a rename) at each change, and readable without a database connection.
/// </summary>
public static class MappingStateFile
{
    public const string FileName = "mappings-state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static string PathIn(string dataRoot) => Path.Combine(Path.GetFullPath(dataRoot), FileName);

    public static MappingState Of(string root, IEnumerable<MappingEntry> entries, DateTimeOffset now) => new(Environment.ProcessId, now, root, entries.Select(e => new MappingStateEntry(
        e.Name,
        e.Mapping?.Descriptor.Version,
        e.Mapping?.Descriptor.Kind,
        e.Mapping is { } s ? MappedEvent.End(s.Descriptor.Source) : null,
        e.Mapping is { } t ? MappedEvent.End(t.Descriptor.Target) : null,
        e.State,
        e.Mapping?.Descriptor.ContentHash,
        e.Errors.Count > 0 ? e.Errors[0].ToString() : null,
        e.Errors.Select(x => x.ToString()).ToList())).ToList());

    public static void Write(string dataRoot, MappingState state)
    {
        var path = PathIn(dataRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The state a hub that is still running wrote; null when there is none, it cannot be read, or its process ended.</summary>
    public static MappingState? ReadRunning(string dataRoot)
    {
        var path = PathIn(dataRoot);
        MappingState? state;
        try
        {
            state = File.Exists(path) ? JsonSerializer.Deserialize<MappingState>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
        return state is not null && IsRunning(state.ProcessId) ? state : null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Removed when the hub stops, so a later `hub mappings` does not show a stopped hub's view.</summary>
    public static void Delete(string dataRoot)
    {
        try
        {
            File.Delete(PathIn(dataRoot));
        }
        catch (IOException)
        {
            // best effort: ReadRunning checks the process anyway
        }
    }
}
