using System.Globalization;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>
/// What a running hub watches on disk (Linux: its inotify watches, from /proc): the folder inbound channels, not the
/// folder it runs in. ASP.NET Core's default appsettings.json reload watch covered the whole working folder with its
/// subfolders, where data/ lives, so every stored payload, database write, dropped and delivered file woke a watcher
/// thread for nothing (3-4 % of the hub's CPU in the end-to-end benchmark).
/// </summary>
[NonParallelizable]
public sealed class FileWatchTests
{
    [Test]
    public async Task Under_its_working_folder_the_hub_watches_its_inbound_folders_and_nothing_else()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("reads the process's inotify watches from /proc");
        }
        await using var hub = new HubProcess();
        try
        {
            hub.Drop("CN");
            hub.Drop("TH");
            await hub.StartAsync();
            var expected = new[] { Path.Combine(hub.Data, "drop", "CN"), Path.Combine(hub.Data, "drop", "TH") };
            string[] watched = [];
            // The channels' watchers start with the hosted services, shortly after /health answers.
            Assert.That(await HubProcess.EventuallyAsync(async () =>
            {
                watched = await WatchedFoldersUnderAsync(hub.ProcessId, hub.Folder);
                return expected.All(watched.Contains);
            }, TimeSpan.FromSeconds(20)), Is.True, $"watched under {hub.Folder}: {string.Join(", ", watched)}");
            Assert.That(watched, Is.EquivalentTo(expected), "a watch on the working folder or data/ wakes the hub for every file it writes itself");
        }
        finally
        {
            await hub.KillAsync();
        }
    }

    /// <summary>The folders under <paramref name="root"/> that one of the process's inotify instances watches.</summary>
    private static async Task<string[]> WatchedFoldersUnderAsync(int pid, string root)
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            string target;
            try
            {
                target = new FileInfo(fd).LinkTarget ?? "";
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }
            if (target != "anon_inode:inotify")
            {
                continue;
            }
            foreach (var line in await File.ReadAllLinesAsync($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}"))
            {
                // "inotify wd:1 ino:1a2b sdev:800001 mask:... ignored_mask:0 ..."
                var ino = line.Split(' ').FirstOrDefault(part => part.StartsWith("ino:", StringComparison.Ordinal));
                if (line.StartsWith("inotify", StringComparison.Ordinal) && ino is not null)
                {
                    inodes.Add(long.Parse(ino.AsSpan(4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        var listing = await ProcessRunner.RunAsync("find", [root, "-type", "d", "-printf", "%i %p\\n"], TimeSpan.FromSeconds(20));
        return listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => inodes.Contains(long.Parse(parts[0], CultureInfo.InvariantCulture)))
            .Select(parts => parts[1])
            .ToArray();
    }
}
