namespace CrossBorderHub.Fuzz;

/// <summary>The repository the harness runs from: samples/ for the seeds, schemas/ for the validators.</summary>
public static class FuzzRepo
{
    public static string Root { get; } = Find();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Schemas => Path.Combine(Root, "schemas");

    public static string Regressions => Path.Combine(Root, "tests", "CrossBorderHub.Fuzz", "regressions");

    // HUB_REPO wins so that an instrumented copy of the harness outside the tree still finds samples and schemas.
    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("HUB_REPO") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossBorderHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CrossBorderHub.sln not found above " + AppContext.BaseDirectory + ": set HUB_REPO");
    }

    public static IEnumerable<(string Name, byte[] Bytes)> SampleFiles(string folder, string pattern) =>
        Directory.GetFiles(Path.Combine(Samples, folder), pattern, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Samples, f).Replace('/', '_').Replace('\\', '_'), File.ReadAllBytes(f)));
}
