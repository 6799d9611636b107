namespace CrossBorderHub.Xml.Tests;

/// <summary>The repository's XML samples (samples/messages/xml), found from the test's working folder.</summary>
internal static class XmlSamples
{
    /// <summary>Where CrossBorderHub.sln is.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Folder => Path.Combine(RepositoryRoot, "samples", "messages", "xml");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrossBorderHub.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("repository root (CrossBorderHub.sln) not found above " + AppContext.BaseDirectory);
    }
}
