using System.IO.Compression;

namespace CrossBorderHub.Core.Edifact.Directories;

/// <summary>
/// Unpacks a UNECE directory release archive (d96b.zip) into one folder, whichever layout it has: the text files
/// themselves (flat, perhaps under one top folder) or the published nesting, where d96b.zip holds EDSD.ZIP,
/// EDCD.ZIP, UNCL.ZIP, EDMD.ZIP... each holding the .96B text files. Every inner zip is unpacked where it lies.
/// The archive is untrusted input: a path that would leave the folder (../, absolute, a drive), a duplicate
/// entry, more entries or more bytes than <see cref="ArchiveLimits"/> allow (counted while writing, not taken from
/// the headers, which a zip bomb lies in) stop the unpacking with <see cref="DirectoryInstallException"/>.
/// </summary>
internal sealed class DirectoryArchive
{
    private readonly string _archiveName;
    private readonly string _target;
    private readonly ArchiveLimits _limits;
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);
    private long _bytes;
    private int _entries;

    private DirectoryArchive(string archiveName, string target, ArchiveLimits limits)
    {
        _archiveName = archiveName;
        _target = Path.GetFullPath(target);
        _limits = limits;
    }

    /// <summary>Unpacks <paramref name="archive"/> (a seekable stream) into the existing, empty <paramref name="target"/>.</summary>
    public static void Extract(Stream archive, string archiveName, string target, ArchiveLimits limits) =>
        new DirectoryArchive(archiveName, target, limits).ExtractZip(archive, archiveName, "", depth: 1);

    private void ExtractZip(Stream stream, string where, string folder, int depth)
    {
        if (!LooksLikeZip(stream))
        {
            throw Invalid($"{where} is not a zip archive: give the release archive as downloaded from unece.org (e.g. d96b.zip)");
        }
        if (stream.Length > _limits.MaxTotalBytes)
        {
            throw TooBig(); // its central directory alone would be read into memory
        }
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw Invalid($"{where} is not a readable zip archive ({e.Message}): download it again");
        }
        using (zip)
        {
            // Every name is checked before anything is written: a hostile entry refuses the whole archive.
            var entries = new List<(ZipArchiveEntry Entry, string Relative)>();
            foreach (var entry in zip.Entries)
            {
                if (++_entries > _limits.MaxEntries)
                {
                    throw Invalid($"{_archiveName} holds more than {_limits.MaxEntries} entries: a UNECE release holds a few hundred; refusing it as a possible zip bomb");
                }
                var relative = SafeRelativePath(entry.FullName, where);
                if (!IsFolderEntry(entry.FullName) && relative.Length > 0)
                {
                    entries.Add((entry, relative));
                }
            }
            var prefix = CommonTopFolder(entries.Select(e => e.Relative));
            foreach (var (entry, name) in entries)
            {
                var relative = Path.Combine(folder, name[prefix.Length..]);
                if (relative.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    ExtractNested(entry, $"{entry.FullName} in {where}", Path.GetDirectoryName(relative) ?? "", depth);
                }
                else
                {
                    WriteFile(entry, relative, where);
                }
            }
        }
    }

    private void ExtractNested(ZipArchiveEntry entry, string where, string folder, int depth)
    {
        if (depth >= _limits.MaxDepth)
        {
            throw Invalid($"{where}: zips nested more than {_limits.MaxDepth} deep; a UNECE release nests one level (d96b.zip > EDSD.ZIP)");
        }
        // An inner zip is copied to a file inside the target first: reading it needs a seekable stream, and
        // buffering it in memory would let its size, not our limit, decide the memory used.
        var temp = Path.Combine(_target, $".nested-{Guid.NewGuid():N}.zip");
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                CopyCounted(entry, output, where);
            }
            using var input = new FileStream(temp, FileMode.Open, FileAccess.Read);
            ExtractZip(input, where, folder, depth + 1);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private void WriteFile(ZipArchiveEntry entry, string relative, string where)
    {
        if (!_written.Add(relative.Replace('\\', '/')))
        {
            throw Invalid($"{_archiveName}: {relative} appears twice (entry {entry.FullName} in {where}); a release holds each file once: download it again");
        }
        var path = Path.GetFullPath(Path.Combine(_target, relative));
        if (!path.StartsWith(_target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Invalid($"{where}: entry {entry.FullName} would be written outside the target folder; refusing the archive");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        CopyCounted(entry, output, where);
    }

    private void CopyCounted(ZipArchiveEntry entry, Stream output, string where)
    {
        if (_bytes + entry.Length > _limits.MaxTotalBytes)
        {
            throw TooBig();
        }
        var buffer = new byte[81920];
        try
        {
            using var input = entry.Open();
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                _bytes += read;
                if (_bytes > _limits.MaxTotalBytes)
                {
                    throw TooBig();
                }
                output.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw Invalid($"{where}: entry {entry.FullName} cannot be unpacked ({e.Message}): download the archive again");
        }
    }

    private DirectoryInstallException TooBig() => Invalid(
        $"{_archiveName} unpacks to more than {_limits.MaxTotalBytes / (1024 * 1024)} MiB: a UNECE release is about 10 MiB; refusing it as a possible zip bomb");

    /// <summary>The entry's path with '/' separators; refuses absolute paths, drive letters and '..' segments.</summary>
    private static string SafeRelativePath(string name, string where)
    {
        var normal = name.Replace('\\', '/');
        if (normal.StartsWith('/') || (normal.Length > 1 && normal[1] == ':') || name.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"{where}: entry {name} has an absolute path; refusing the archive (a release holds relative names only)");
        }
        var parts = normal.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is ".."))
        {
            throw Invalid($"{where}: entry {name} climbs out of the folder with '..' (zip-slip); refusing the archive");
        }
        return string.Join(Path.DirectorySeparatorChar, parts.Where(p => p is not "."));
    }

    /// <summary>"d96b/" when every file of the archive lies under that one folder (a zipped folder), else "".</summary>
    private static string CommonTopFolder(IEnumerable<string> relativeNames)
    {
        string? top = null;
        foreach (var name in relativeNames)
        {
            var slash = name.IndexOf(Path.DirectorySeparatorChar);
            if (slash < 0 || (top is not null && !string.Equals(top, name[..slash], StringComparison.Ordinal)))
            {
                return "";
            }
            top = name[..slash];
        }
        return top is null ? "" : top + Path.DirectorySeparatorChar;
    }

    private static bool IsFolderEntry(string name) => name.EndsWith('/') || name.EndsWith('\\');

    /// <summary>PK\3\4 (a zip with entries) or PK\5\6 (an empty one); the stream is left at its start.</summary>
    private static bool LooksLikeZip(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        var start = stream.Position;
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    private static DirectoryInstallException Invalid(string message) => new(message, DirectoryInstallException.InvalidInput);
}

/// <summary>Caps on what one archive may unpack to: a UNECE release is ~10 MiB in a few hundred files, nested once.</summary>
public sealed record ArchiveLimits(long MaxTotalBytes, int MaxEntries, int MaxDepth)
{
    public static ArchiveLimits Default { get; } = new(256L * 1024 * 1024, 10_000, 3);
}

/// <summary>A directory archive that cannot be installed: one line naming the file and the fix, and the exit code.</summary>
public sealed class DirectoryInstallException(string message, int exitCode) : Exception(message)
{
    /// <summary>The archive itself is wrong (broken, hostile, incomplete): exit 1.</summary>
    public const int InvalidInput = 1;

    /// <summary>The file cannot be read, or the directory is already installed: exit 2.</summary>
    public const int UsageOrIo = 2;

    public int ExitCode { get; } = exitCode;
}
