using System.Text.RegularExpressions;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Edifact.Directories;

/// <summary>
/// Checks an unpacked release folder before it is installed: the files the validator reads are all there, belong to
/// one release, and the directory loader reads something from each (segment specifications, code lists, the segment
/// table of every message). Loading it here also writes its binary cache, so the first interchange does not pay.
/// </summary>
internal static partial class DirectoryRelease
{
    private const string Fix = "download the complete release again from unece.org (e.g. https://service.unece.org/trade/untdid/d96b/d96b.zip)";

    [GeneratedRegex(@"^[A-Z]{6}_D\.", RegexOptions.IgnoreCase)]
    private static partial Regex MessageFile();

    [GeneratedRegex(@"^(\d{2}[A-Z])$", RegexOptions.IgnoreCase)]
    private static partial Regex ReleaseSuffix();

    [GeneratedRegex(@"^D\.?(\d{2}[A-Z])$", RegexOptions.IgnoreCase)]
    private static partial Regex ReleaseName();

    /// <summary>The directory name ("D96B") the files in <paramref name="folder"/> are a release of.</summary>
    public static string NameOf(string folder, string archiveName)
    {
        var files = TopLevelFiles(folder);
        var segments = Required(files, archiveName, "segment directory", "EDSD.", "TRSD.");
        var suffix = Path.GetExtension(segments).TrimStart('.');
        if (ReleaseSuffix().IsMatch(suffix))
        {
            return "D" + suffix.ToUpperInvariant();
        }
        var fromArchive = ReleaseName().Match(Path.GetFileNameWithoutExtension(archiveName));
        return fromArchive.Success
            ? "D" + fromArchive.Groups[1].Value.ToUpperInvariant()
            : throw new DirectoryInstallException($"{archiveName}: {segments} does not say which release it is (expected an extension such as .96B): rename the archive after its release, e.g. d96b.zip", DirectoryInstallException.InvalidInput);
    }

    /// <summary>Throws <see cref="DirectoryInstallException"/> naming the first missing or unreadable file; returns the message count.</summary>
    public static int Check(string folder, string name, string archiveName)
    {
        var files = TopLevelFiles(folder);
        var suffix = name[1..];
        var required = new[]
        {
            Required(files, archiveName, "segment directory", "EDSD.", "TRSD."),
            Required(files, archiveName, "composite data element directory", "EDCD.", "TRCD."),
            Required(files, archiveName, "data element directory", "EDED.", "TRED."),
            Required(files, archiveName, "code list file", "UNCL.", "UNCL-"),
        };
        var messages = files.Where(f => MessageFile().IsMatch(f)).Order(StringComparer.Ordinal).ToList();
        if (messages.Count == 0)
        {
            throw Incomplete(archiveName, "no message file (XXXXXX_D." + suffix + ", in EDMD.ZIP)");
        }
        foreach (var file in required.Concat(files.Where(f => f.StartsWith("UNCL", StringComparison.OrdinalIgnoreCase))).Concat(messages))
        {
            if (!string.Equals(Path.GetExtension(file).TrimStart('.'), suffix, StringComparison.OrdinalIgnoreCase))
            {
                throw new DirectoryInstallException($"{archiveName}: {file} is not part of release {suffix} (the segment directory is): the archive mixes releases; {Fix}", DirectoryInstallException.InvalidInput);
            }
        }
        var directory = new EdifactDirectory(name, folder);
        try
        {
            if (directory.Segments.Count == 0)
            {
                throw Unreadable(archiveName, required[0], "no segment specification");
            }
            if (directory.Codes.Count == 0)
            {
                throw Unreadable(archiveName, required[3], "no code list");
            }
            foreach (var message in messages)
            {
                if (directory.GetMessage(message[..6].ToUpperInvariant()) is null)
                {
                    throw Unreadable(archiveName, message, "no segment table");
                }
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // The loader trusts the UNECE layout; a damaged file may break it anywhere. Which file is not known here.
            throw new DirectoryInstallException($"{archiveName}: a file of release {suffix} cannot be read by the directory loader ({e.Message}); {Fix}", DirectoryInstallException.InvalidInput);
        }
        return messages.Count;
    }

    private static string[] TopLevelFiles(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Where(f => !f.StartsWith('.')).ToArray();

    private static string Required(string[] files, string archiveName, string what, params string[] prefixes) =>
        files.Where(f => prefixes.Any(p => f.StartsWith(p, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? throw Incomplete(archiveName, $"no {what} ({string.Join(" or ", prefixes.Select(p => p.TrimEnd('.', '-') + ".*").Distinct())}, published in {prefixes[0].TrimEnd('.', '-')}.ZIP)");

    private static DirectoryInstallException Incomplete(string archiveName, string missing) =>
        new($"{archiveName}: {missing} in the archive: it is not a complete UNECE directory release; {Fix}", DirectoryInstallException.InvalidInput);

    private static DirectoryInstallException Unreadable(string archiveName, string file, string what) =>
        new($"{archiveName}: {file}: {what} could be read from it: the file is damaged or not the UNECE text; {Fix}", DirectoryInstallException.InvalidInput);
}
