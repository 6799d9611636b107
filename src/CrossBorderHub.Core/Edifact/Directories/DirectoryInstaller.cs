using System.Security.Cryptography;
using System.Text.Json;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Edifact.Directories;

/// <summary>One directory under schemas/edifact as `hub directories` lists it.</summary>
public sealed record InstalledDirectory(string Name, string Source, int Messages, bool Cached);

/// <summary>Where an installed directory came from: written beside its files as .source.json.</summary>
public sealed record DirectorySource(string Archive, string Sha256, DateTimeOffset InstalledAt);

/// <summary>
/// Installs a UNECE directory release archive as schemas/edifact/&lt;name&gt;: unpacked and checked in a hidden
/// staging folder inside schemas/edifact (so the last step is a rename on the same disk), its cache built there,
/// then moved into place. Whatever fails, nothing is left half-installed and nothing is written outside the staging
/// folder; a replaced directory is kept until the new one is in place.
/// </summary>
public static class DirectoryInstaller
{
    public const string SourceFile = ".source.json";

    public static InstalledDirectory Install(string archivePath, string edifactRoot, bool replace, TimeProvider time, ArchiveLimits? limits = null)
    {
        var archiveName = Path.GetFileName(archivePath);
        FileStream archive;
        try
        {
            archive = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DirectoryInstallException($"{archivePath}: cannot be read ({e.Message}): give the path of the downloaded release archive (e.g. d96b.zip)", DirectoryInstallException.UsageOrIo);
        }
        var root = Path.GetFullPath(edifactRoot);
        var staging = Path.Combine(root, $".install-{Guid.NewGuid():N}");
        RemoveAbandonedStaging(root, time);
        try
        {
            using (archive)
            {
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(archive));
                archive.Position = 0;
                var unpacked = Path.Combine(staging, "unpacked");
                Directory.CreateDirectory(unpacked);
                DirectoryArchive.Extract(archive, archiveName, unpacked, limits ?? ArchiveLimits.Default);
                var name = DirectoryRelease.NameOf(unpacked, archiveName);
                var target = Path.Combine(root, name);
                if (Directory.Exists(target) && !replace)
                {
                    throw new DirectoryInstallException(
                        $"{archiveName}: directory {name} is already installed in {target} (from {Describe(SourceOf(target))}): to replace it run `hub directories add {archivePath} --replace`, or remove the archive",
                        DirectoryInstallException.UsageOrIo);
                }
                var folder = Path.Combine(staging, name);
                Directory.Move(unpacked, folder);
                var messages = DirectoryRelease.Check(folder, name, archiveName);
                File.WriteAllText(Path.Combine(folder, SourceFile), JsonSerializer.Serialize(new DirectorySource(archiveName, sha256, time.GetUtcNow())));
                MoveIntoPlace(staging, root, name);
                return new InstalledDirectory(name, Describe(SourceOf(target)), messages, new EdifactDirectory(name, target).HasCurrentCache);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DirectoryInstallException($"{archiveName}: cannot be installed in {root} ({e.Message}): check that the folder is writable and the disk has room", DirectoryInstallException.UsageOrIo);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    /// <summary>Every directory folder under <paramref name="edifactRoot"/>, by name.</summary>
    public static IReadOnlyList<InstalledDirectory> List(string edifactRoot)
    {
        var registry = new DirectoryRegistry(edifactRoot);
        return registry.Names.Order(StringComparer.Ordinal).Select(name =>
        {
            var folder = Path.Combine(registry.Root, name);
            var directory = new EdifactDirectory(name, folder);
            return new InstalledDirectory(name, Describe(SourceOf(folder)), directory.MessageTypes.Count(), directory.HasCurrentCache);
        }).ToList();
    }

    /// <summary>The archive an installed directory came from; null for a folder copied in by hand (or shipped).</summary>
    public static DirectorySource? SourceOf(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<DirectorySource>(File.ReadAllText(Path.Combine(folder, SourceFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Describe(DirectorySource? source) => source is null
        ? "folder"
        : $"{source.Archive} (sha256 {source.Sha256[..12]}, installed {source.InstalledAt.UtcDateTime:yyyy-MM-dd HH:mm}Z)";

    /// <summary>Renames the checked folder into place, then its cache; an old directory goes back if that fails.</summary>
    private static void MoveIntoPlace(string staging, string root, string name)
    {
        var target = Path.Combine(root, name);
        var old = Directory.Exists(target) ? Path.Combine(staging, "replaced") : null;
        if (old is not null)
        {
            Directory.Move(target, old);
        }
        try
        {
            Directory.Move(Path.Combine(staging, name), target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (old is not null)
            {
                Directory.Move(old, target);
            }
            throw;
        }
        var cache = Path.Combine(staging, ".cache", name + ".bin");
        if (File.Exists(cache))
        {
            // The cache names its source files by name, size and time, which the rename keeps: it stays valid.
            Directory.CreateDirectory(Path.Combine(root, ".cache"));
            File.Move(cache, Path.Combine(root, ".cache", name + ".bin"), overwrite: true);
        }
    }

    /// <summary>A staging folder left by a killed install; an hour old, so never one another install is still using.</summary>
    private static void RemoveAbandonedStaging(string root, TimeProvider time)
    {
        if (!Directory.Exists(root))
        {
            return;
        }
        foreach (var folder in Directory.GetDirectories(root, ".install-*"))
        {
            if (Directory.GetLastWriteTimeUtc(folder) < time.GetUtcNow().UtcDateTime.AddHours(-1))
            {
                TryDelete(folder);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover hidden .install-* folder is ignored by the registry; the next install uses a new name.
        }
    }
}
