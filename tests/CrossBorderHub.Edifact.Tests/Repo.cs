namespace CrossBorderHub.Edifact.Tests;

/// <summary>Finds the repository root (where CrossBorderHub.sln is) from the test's working folder.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Samples => Path.Combine(Root, "samples", "messages", "edifact");

    public static string Schemas => Path.Combine(Root, "schemas", "edifact");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossBorderHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CrossBorderHub.sln not found above " + AppContext.BaseDirectory);
    }
}
