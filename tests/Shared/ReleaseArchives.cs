using System.IO.Compression;
namespace CrossBorderHub.Testing;

/// <summary>
/// UNECE release archives built at test time from the directory files in schemas/edifact (no zip is committed):
/// the published nesting (d96b.zip holding TRSD.ZIP, TRCD.ZIP, TRED.ZIP, UNCL.ZIP, EDMD.ZIP with the text files in
/// them, the rest at the top) or the flat layout (the text files under one folder), and hostile variants.
/// </summary>
internal static class ReleaseArchives
{
    public static string SchemasEdifact { get; } = FindSchemas();

    private static string FindSchemas()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CrossBorderHub.sln")))
            {
                return Path.Combine(folder.FullName, "schemas", "edifact");
            }
        }
        throw new InvalidOperationException("CrossBorderHub.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Which inner zip a UNECE release puts a file in (by name), null for a file at the top.</summary>
    private static string? InnerZip(string file) => file switch
    {
        _ when file.Contains("_D.", StringComparison.Ordinal) || file.StartsWith("EDMD", StringComparison.Ordinal) || file.StartsWith("TRMD", StringComparison.Ordinal) => "EDMD.ZIP",
        _ when file.StartsWith("UNCL", StringComparison.Ordinal) || file.StartsWith("UNSL", StringComparison.Ordinal) => "UNCL.ZIP",
        _ when file.Length > 4 && file[..4] is "EDSD" or "EDCD" or "EDED" or "TRSD" or "TRCD" or "TRED" => "ED" + file[2..4] + ".ZIP",
        _ => null,
    };

    /// <summary>The published layout of <paramref name="directory"/>; <paramref name="skip"/> leaves files out, <paramref name="replace"/> swaps contents.</summary>
    public static void Nested(string path, string directory = "D96B", Func<string, bool>? skip = null, IReadOnlyDictionary<string, byte[]>? replace = null)
    {
        var files = SourceFiles(directory).Where(f => skip is null || !skip(Path.GetFileName(f))).ToList();
        using var outer = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var group in files.GroupBy(f => InnerZip(Path.GetFileName(f))))
        {
            if (group.Key is null)
            {
                foreach (var file in group)
                {
                    Add(outer, Path.GetFileName(file), Content(file, replace));
                }
                continue;
            }
            var inner = new MemoryStream();
            using (var zip = new ZipArchive(inner, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in group)
                {
                    Add(zip, Path.GetFileName(file), Content(file, replace));
                }
            }
            Add(outer, group.Key, inner.ToArray());
        }
    }

    /// <summary>The text files themselves, under one top folder (a zipped folder).</summary>
    public static void Flat(string path, string directory, string topFolder)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var file in SourceFiles(directory))
        {
            Add(zip, topFolder + "/" + Path.GetFileName(file), File.ReadAllBytes(file));
        }
    }

    /// <summary>A zip holding exactly these entries (names as given, unchecked).</summary>
    public static void Entries(string path, params (string Name, byte[] Content)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            Add(zip, name, content);
        }
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                Add(zip, name, content);
            }
        }
        return bytes.ToArray();
    }

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.GetFiles(Path.Combine(SchemasEdifact, directory)).Order(StringComparer.Ordinal);

    private static byte[] Content(string file, IReadOnlyDictionary<string, byte[]>? replace) =>
        replace is not null && replace.TryGetValue(Path.GetFileName(file), out var bytes) ? bytes : File.ReadAllBytes(file);

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(content);
    }
}
