using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrossBorderHub.Core.Channels;

/// <summary>
/// The one naming function every transport uses for a file name that leaves the hub (folder, SFTP, FTP, the AS2
/// Content-Disposition filename, the RabbitMQ file-name header). The result is deterministic (a retry replaces,
/// never duplicates), one path segment (no '/', '\', "..", control or bidi characters, nothing invalid on Windows,
/// no leading dot), at most <see cref="MaxBytes"/> bytes of UTF-8, and keeps as much of the original as fits.
/// </summary>
public static class DeliveryName
{
    /// <summary>
    /// Below the 255-byte limit of ext4/XFS/NTFS/most FTP servers, leaving room for the temporary names the
    /// transports write first ("." + name + ".part", TempPrefix + name).
    /// </summary>
    public const int MaxBytes = 200;

    private const string WindowsInvalid = "<>:\"|?*";
    private const int KeptExtensionBytes = 24;

    /// <summary>
    /// The name of a delivery: the message id first, so two messages never share a remote name whatever their
    /// inbound names hold, then the sender's file name made safe.
    /// </summary>
    public static string For(string messageId, string originalName) => Safe($"{messageId}-{originalName}");

    /// <summary>
    /// One safe file name from any text. Path separators join the segments with '_' instead of keeping only the
    /// last one: "p1\inv.edi" and "p2\inv.edi" stay distinct, and a prefix before a separator is never lost.
    /// Applying it twice changes nothing.
    /// </summary>
    public static string Safe(string name)
    {
        var segments = name.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is not ("." or ".."));
        var joined = string.Join('_', segments);
        var builder = new StringBuilder(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            var c = joined[i];
            if (char.IsHighSurrogate(c) && i + 1 < joined.Length && char.IsLowSurrogate(joined[i + 1]))
            {
                builder.Append(c).Append(joined[++i]);
                continue;
            }
            builder.Append(IsUnsafe(c) ? '_' : c);
        }
        // Leading dots hide a file from its reader (and ".." alone is a parent); trailing dots and spaces vanish on Windows.
        var result = builder.ToString().Trim().TrimStart('.').TrimEnd('.', ' ');
        if (result.Length == 0)
        {
            return "unnamed";
        }
        return Encoding.UTF8.GetByteCount(result) <= MaxBytes ? result : Shorten(result, name);
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || char.IsSurrogate(c) || WindowsInvalid.Contains(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>
    /// Keeps the start (the message id) and the extension, and puts a hash of the full original between them, so
    /// two long names that differ only in the cut part still differ.
    /// </summary>
    private static string Shorten(string safe, string original)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..12];
        var dot = safe.LastIndexOf('.');
        var extension = dot > 0 && Encoding.UTF8.GetByteCount(safe[dot..]) <= KeptExtensionBytes ? safe[dot..] : "";
        var marker = "~" + hash;
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(marker + extension);
        return PrefixWithin(safe[..(safe.Length - extension.Length)], budget) + marker + extension;
    }

    private static string PrefixWithin(string text, int maxBytes)
    {
        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            end += width;
        }
        return text[..end];
    }
}
