namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// What one look at blobs/incoming found: temporary files removed (left by a killed intake), their bytes, and those
/// still present (intakes in progress, or old ones another process holds locked).
/// </summary>
public readonly record struct OrphanSweep(int Removed, long RemovedBytes, int Present);

/// <summary>
/// Removes the temporary files a killed intake leaves in blobs/incoming. A file is an orphan only when all hold:
/// its name is one the store makes (32 hex digits), it is not being written by this process, nobody changed it for
/// <c>minimumAge</c>, and an exclusive lock on it can be taken (a live writer, also of another instance sharing the
/// data root, holds one: FileShare.None is a lock on Windows and an flock on Unix).
/// </summary>
internal static class OrphanSweeper
{
    public static OrphanSweep Sweep(string incoming, Func<string, bool> inFlight, TimeSpan minimumAge, DateTimeOffset now)
    {
        int removed = 0, present = 0;
        long bytes = 0;
        if (!Directory.Exists(incoming))
        {
            return default;
        }
        foreach (var file in new DirectoryInfo(incoming).EnumerateFiles())
        {
            if (!IsTemporaryName(file.Name))
            {
                continue; // not ours: leave it, and do not count it
            }
            present++;
            if (inFlight(file.Name) || now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) < minimumAge)
            {
                continue;
            }
            if (TryRemove(file.FullName, out var length))
            {
                removed++;
                present--;
                bytes += length;
            }
        }
        return new OrphanSweep(removed, bytes, present);
    }

    /// <summary>Temporary files present now, and how many of them are older than <paramref name="minimumAge"/> (orphans).</summary>
    public static (int Present, int Orphans) Count(string incoming, TimeSpan minimumAge, DateTimeOffset now)
    {
        int present = 0, orphans = 0;
        if (!Directory.Exists(incoming))
        {
            return (0, 0);
        }
        foreach (var file in new DirectoryInfo(incoming).EnumerateFiles().Where(f => IsTemporaryName(f.Name)))
        {
            present++;
            orphans += now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) >= minimumAge ? 1 : 0;
        }
        return (present, orphans);
    }

    public static bool IsTemporaryName(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigit);

    private static bool TryRemove(string path, out long length)
    {
        length = 0;
        try
        {
            // The lock first: a writer still holding the file (a stalled intake) makes this throw, and it is kept.
            using var handle = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            length = handle.Length;
            return File.Exists(path); // another sweeper may have removed it between our listing and our lock
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return false; // locked by a live writer, or the disk refuses: try again at the next sweep
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
