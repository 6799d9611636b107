namespace CrossBorderHub.Core.Configuration;

/// <summary>
/// Finds the data folders the hub ships (schemas/, mappings/) wherever the process was started from. One order for
/// every lookup (EDIFACT directories, XML schema packs, mappings), so `hub validate` and `hub run` never disagree:
/// <list type="number">
/// <item>an absolute configured path, as is;</item>
/// <item>a relative one against the working directory, then each of its parents (a tool run from a sub-folder of a
/// checkout or of an installation);</item>
/// <item>beside the executable (a published copy carries schemas/ and mappings/ next to hub.dll), then the
/// executable's parents (a build inside a checkout: src/CrossBorderHub.Host/bin/Release/net10.0 finds the checkout's).</item>
/// </list>
/// </summary>
public static class HubPaths
{
    /// <summary>The first candidate that exists; the working-directory form when none does.</summary>
    public static string ResolveShipped(string path) => Find(path) ?? Path.GetFullPath(path);

    /// <summary>The first candidate that exists, or null.</summary>
    public static string? Find(string path) => Candidates(path).FirstOrDefault(Directory.Exists);

    /// <summary>Every place looked at, in order (for the start-up error that says where the hub looked).</summary>
    public static IEnumerable<string> Candidates(string path)
    {
        if (Path.IsPathRooted(path))
        {
            yield return path;
            yield break;
        }
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            yield return Path.Combine(folder.FullName, path);
        }
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            yield return Path.Combine(folder.FullName, path);
        }
    }

    /// <summary>
    /// Null when the schemas folder is found (holding edifact/ or xsd/); else one line naming the setting, where the
    /// hub looked and the fix. `hub run` stops on it at start-up rather than reject every message later.
    /// </summary>
    public static string? MissingSchemas(string schemasPath)
    {
        var found = Find(schemasPath);
        if (found is not null && (Directory.Exists(Path.Combine(found, "edifact")) || Directory.Exists(Path.Combine(found, "xsd"))))
        {
            return null;
        }
        var where = found is not null
            ? $"{found} holds neither edifact/ nor xsd/"
            : Path.IsPathRooted(schemasPath)
                ? $"{schemasPath} does not exist"
                : $"looked in {Directory.GetCurrentDirectory()} and its parents, then beside {AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)} and its parents";
        return $"no schemas folder for Hub:Processing:SchemasPath '{schemasPath}' ({where}): set Hub:Processing:SchemasPath to the folder that holds edifact/ and xsd/ (a published hub carries it beside hub.dll), or start the hub from the folder that holds schemas/.";
    }
}
