using System.Globalization;
using System.Text;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>Parses the listing and time replies of <see cref="FtpSession"/>.</summary>
internal static class FtpReplies
{
    /// <summary>NLST output: one name per line, any folder part dropped, "." and ".." skipped.</summary>
    public static List<string> Names(byte[] listing) =>
        Encoding.UTF8.GetString(listing)
            .Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n[(n.LastIndexOf('/') + 1)..])
            .Where(n => n is not "." and not "..")
            .ToList();

    /// <summary>An MDTM reply "yyyyMMddHHmmss[.fff]" in UTC; MinValue when unreadable.</summary>
    public static DateTimeOffset Time(string reply)
    {
        var text = reply.Trim();
        return DateTime.TryParseExact(text[..Math.Min(14, text.Length)], "yyyyMMddHHmmss",
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when)
            ? new DateTimeOffset(when, TimeSpan.Zero)
            : DateTimeOffset.MinValue;
    }
}
