using System.Text.RegularExpressions;

namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// The "mapped" event of a message: which mapping (name, version, content hash) produced the mapped payload, and that
/// payload's blob (bytes and sha256). Written and read here only, so the admin API finds the mapped blob of a message
/// from its events without a column of its own.
/// </summary>
public static partial class MappedEvent
{
    public const string Kind = "mapped";

    public static string Detail(MappingDescriptor d, string partner, long length, string sha256) =>
        $"mapping {d.Name} version {d.Version} (content sha256 {d.ContentHash}, {d.Kind}, {End(d.Source)} -> {End(d.Target)}) for {partner}: output {length} bytes, sha256 {sha256}";

    /// <summary>The mapped payload's blob hash from a "mapped" event's detail; null when the detail is not one.</summary>
    public static string? OutputHash(string detail) => OutputPattern().Match(detail) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>"xml:ephyto-sps", or "xml" when no standard describes that side.</summary>
    public static string End(MappingEnd end) => end.Standard is null ? end.Format : $"{end.Format}:{end.Standard}";

    [GeneratedRegex(@"output \d+ bytes, sha256 ([0-9a-f]{64})$")]
    private static partial Regex OutputPattern();
}
