using System.Security.Cryptography;

namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// The content hash of a mapping: SHA-256 over every file of its folder except tests/ (fixtures do not change what
/// the mapping does), in ordinal path order, each preceded by its relative path so a rename changes the hash too.
/// </summary>
public static class MappingHash
{
    public static string Of(MappingManifest manifest) => Of(manifest.Folder);

    public static string Of(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(folder))
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith("tests/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var relative in files)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(relative + "\n"));
                hash.AppendData(File.ReadAllBytes(Path.Combine(folder, relative)));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
