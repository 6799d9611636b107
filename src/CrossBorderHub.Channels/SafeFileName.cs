using System.Text;

namespace CrossBorderHub.Channels;

/// <summary>
/// Turns a remote or generated name into one file name that cannot leave the folder it is written to:
/// directories, "..", control characters and characters that are invalid on Windows are replaced.
/// </summary>
public static class SafeFileName
{
    public static string From(string name)
    {
        // Only the last path segment counts: "../../etc/passwd" becomes "passwd", "C:\x\y" becomes "y".
        var last = name.Replace('\\', '/');
        var slash = last.LastIndexOf('/');
        if (slash >= 0)
        {
            last = last[(slash + 1)..];
        }
        var builder = new StringBuilder(last.Length);
        foreach (var c in last)
        {
            builder.Append(char.IsControl(c) || "<>:\"|?*".Contains(c) ? '_' : c);
        }
        var result = builder.ToString().Trim().TrimStart('.');
        return result.Length == 0 ? "unnamed" : result.Length > 200 ? result[..200] : result;
    }
}
