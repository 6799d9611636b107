using System.IO.Enumeration;

namespace CrossBorderHub.Channels;

/// <summary>
/// The two conventions partners use to say "this file is complete", for every inbound file channel:
/// write under a temporary name and rename when done (the temporary names are ignored: <c>IgnorePatterns</c>), or
/// write the file and then an empty marker beside it (<c>ReadyMarker</c> ".ready": <c>x.edi</c> is taken only once
/// <c>x.edi.ready</c> exists, and the marker is removed after the file is stored). Both come on top of the two looks
/// at size and time, which stay: a marker written too early must not cut a file either.
/// </summary>
internal sealed class PickupRules
{
    /// <summary>What common clients write while a transfer runs: WinSCP (*.filepart), curl/wget/browsers (*.part,
    /// *.crdownload), editors and Office (~*), rsync and the hub itself (dot-files), and the generic *.tmp.</summary>
    public static readonly IReadOnlyList<string> DefaultIgnorePatterns = ["*.tmp", "*.part", "*.filepart", "*.crdownload", "~*", ".*"];

    /// <summary>The hub's own temporary and probe names (".hub-tmp-", ".hub-claim-", ".hub-write-test-"): never documents.</summary>
    private const string HubPrefix = ".hub-";

    private readonly IReadOnlyList<string> _ignore;

    public PickupRules(IReadOnlyList<string>? ignorePatterns, string? readyMarker)
    {
        _ignore = ignorePatterns is { Count: > 0 } ? ignorePatterns : DefaultIgnorePatterns;
        ReadyMarker = string.IsNullOrEmpty(readyMarker) ? null : readyMarker;
    }

    public string? ReadyMarker { get; }

    /// <summary>True for a name that is not a document: a temporary name, the hub's own, or a ready marker.</summary>
    public bool IsIgnored(string name) =>
        name.StartsWith(HubPrefix, StringComparison.Ordinal)
        || (ReadyMarker is not null && name.EndsWith(ReadyMarker, StringComparison.OrdinalIgnoreCase))
        || _ignore.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true));

    /// <summary>
    /// Ignored because of the partner's naming (a temporary or hidden name), not the hub's own files or a ready
    /// marker: what is worth telling an admin once, since such a file waits for a rename that may never come.
    /// </summary>
    public bool IsPartnerTemporaryName(string name) =>
        !name.StartsWith(HubPrefix, StringComparison.Ordinal)
        && !(ReadyMarker is not null && name.EndsWith(ReadyMarker, StringComparison.OrdinalIgnoreCase))
        && _ignore.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true));

    /// <summary>The marker that must exist before <paramref name="name"/> is taken; null when no marker is used.</summary>
    public string? MarkerFor(string name) => ReadyMarker is null ? null : name + ReadyMarker;

    /// <summary>Start-up checks of both settings; each error names the setting and the fix.</summary>
    public static void Validate(string path, IReadOnlyList<string>? ignorePatterns, string? readyMarker, ICollection<string> errors)
    {
        for (var i = 0; i < (ignorePatterns?.Count ?? 0); i++)
        {
            var pattern = ignorePatterns![i];
            if (string.IsNullOrWhiteSpace(pattern))
            {
                errors.Add($"{path}:IgnorePatterns:{i} is empty: give a file-name pattern such as *.tmp, or remove the entry.");
            }
            else if (pattern.IndexOfAny(['/', '\\']) >= 0)
            {
                errors.Add($"{path}:IgnorePatterns:{i} '{pattern}' contains a path separator: patterns match file names only (e.g. *.part).");
            }
            else if (pattern.Trim('*').Length == 0)
            {
                errors.Add($"{path}:IgnorePatterns:{i} '{pattern}' ignores every file, so nothing would ever be taken: use a narrower pattern such as *.tmp.");
            }
        }
        if (readyMarker is null)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(readyMarker))
        {
            errors.Add($"{path}:ReadyMarker is empty: set a suffix such as .ready (x.edi is taken once x.edi.ready exists), or remove it.");
        }
        else if (readyMarker.IndexOfAny(['/', '\\', '*', '?']) >= 0)
        {
            errors.Add($"{path}:ReadyMarker '{readyMarker}' is not a plain suffix: use one such as .ready or .done, without '/', '\\', '*' or '?'.");
        }
    }
}
