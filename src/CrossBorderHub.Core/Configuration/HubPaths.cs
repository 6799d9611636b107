namespace CrossBorderHub.Core.Configuration;

/// <summary>Finds the data folders the hub ships (schemas/, mappings/) wherever the process was started from.</summary>
public static class HubPaths
{
    /// <summary>
    /// An absolute path as is; a relative one against the working directory, then its parents (a test or a tool run
    /// from a sub-folder of the repository), then the executable's folder. The working-directory form when none exists.
    /// </summary>
    public static string ResolveShipped(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, path);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        var besideExecutable = Path.Combine(AppContext.BaseDirectory, path);
        return Directory.Exists(besideExecutable) ? besideExecutable : Path.GetFullPath(path);
    }
}
