namespace CrossBorderHub.Testing;

/// <summary>
/// A small tmpfs mounted on a test's folder (needs root): a disk that fills to the last byte, or that is remounted
/// read-only (refused even for root, unlike chmod). Unmounted lazily on dispose, so a handle still open does not block it.
/// </summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path) => Folder = path;

    public string Folder { get; }

    /// <summary>Mounts a tmpfs with <paramref name="options"/> ("size=2m", "size=64k,mode=0777"); cannot: fails under CI=true, else ignores the test.</summary>
    public static async Task<Tmpfs> MountAsync(string folder, string options)
    {
        var mount = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder], TimeSpan.FromSeconds(10));
        if (mount.ExitCode != 0)
        {
            RequiredTool.Missing($"cannot mount a tmpfs on {folder} (run the tests as root): {mount.Error.Trim()}");
        }
        return new Tmpfs(folder);
    }

    public async Task RemountAsync(bool readOnly)
    {
        var remount = await ProcessRunner.RunAsync("mount", ["-o", readOnly ? "remount,ro" : "remount,rw", Folder], TimeSpan.FromSeconds(10));
        if (remount.ExitCode != 0)
        {
            throw new InvalidOperationException($"mount -o remount {Folder} failed ({remount.ExitCode}): {remount.Error}");
        }
    }

    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync("umount", ["-l", Folder], TimeSpan.FromSeconds(10));
}
