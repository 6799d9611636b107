namespace CrossBorderHub.Testing;

/// <summary>
/// Temp folders of a test run: one root per test process (servers keep their configuration, keys and data under it)
/// and removal that tolerates what a dying server still holds.
/// </summary>
public static class TempFolder
{
    /// <summary>This process's folder; the assembly's teardown removes it with <see cref="Delete"/>.</summary>
    public static string RunRoot { get; } = Path.Combine(Path.GetTempPath(), $"hubtest-{Environment.ProcessId}");

    /// <summary>A named folder under <see cref="RunRoot"/>, created if missing.</summary>
    public static string InRun(string name) => Directory.CreateDirectory(Path.Combine(RunRoot, name)).FullName;

    /// <summary>Removes a folder and everything in it, if it can.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A file still held open by a dying process, or a mount (full-disk tests): the OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // A folder a test made read-only: likewise left to the OS.
        }
    }

    /// <summary>Copies a folder tree (fixtures into a test's folder), creating <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.GetDirectories(from))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
