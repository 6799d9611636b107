namespace CrossBorderHub.Channels.Tests.Support;

/// <summary>File helpers for transports whose server serves a local folder (folder, sshd, vsftpd).</summary>
public static class LocalFolders
{
    public static async Task DropAsync(string folder, string name, byte[] content, TimeSpan age)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
    }

    public static int Count(string folder) => Directory.EnumerateFiles(folder).Count();

    /// <summary>Files under their final name: a delivery in progress shows as a hidden temporary file first.</summary>
    public static int CountDelivered(string folder) => Directory.EnumerateFiles(folder).Count(f => !Path.GetFileName(f).StartsWith('.'));

    public static IReadOnlyDictionary<string, byte[]> Contents(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    /// <summary>Everything in <paramref name="parent"/> except <paramref name="destination"/>.</summary>
    public static IReadOnlyList<string> Others(string parent, string destination) =>
        Directory.EnumerateFileSystemEntries(parent).Where(p => Path.GetFileName(p) != Path.GetFileName(destination)).ToList();
}
