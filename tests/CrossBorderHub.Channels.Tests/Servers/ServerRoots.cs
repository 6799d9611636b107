namespace CrossBorderHub.Channels.Tests.Servers;

/// <summary>Where the servers of this test run live: one temp folder per process, removed at the end.</summary>
public static class ServerRoots
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), $"hubtest-{Environment.ProcessId}");

    public static string TestRoot(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
