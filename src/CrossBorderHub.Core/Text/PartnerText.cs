using System.Globalization;
using System.Text;

namespace CrossBorderHub.Core.Text;

/// <summary>
/// The one way text a partner chose (file names, element values, interchange references, bytes) reaches a log line or
/// a terminal. A raw newline would forge a log line, ESC sequences recolour or rewrite a terminal, and bidi controls
/// (U+202E...) make "gpj.exe" read as "exe.jpg": every control, format, separator and unpaired surrogate character is
/// written as a visible escape (\n, \r, \t, \e, \xNN, \uNNNN). Printable text, including non-Latin letters, is kept.
/// </summary>
public static class PartnerText
{
    /// <summary>Longest result before the middle is elided: a 10 MB "file name" must not become a 10 MB log line.</summary>
    public const int MaxLength = 1024;

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        if (!NeedsEscaping(text))
        {
            return text.Length <= MaxLength ? text : Elide(text);
        }
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                if (IsUnsafe(category))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[i + 1]):X8}");
                }
                else
                {
                    builder.Append(c).Append(text[i + 1]);
                }
                i++;
                continue;
            }
            AppendChar(builder, c);
        }
        var escaped = builder.ToString();
        return escaped.Length <= MaxLength ? escaped : Elide(escaped);
    }

    /// <summary>Bytes as Latin-1 text with the same escapes: for a peek at the start of an unknown file.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                AppendChar(builder, (char)b, hexForNonAscii: true);
            }
        }
        var escaped = builder.ToString();
        return escaped.Length <= MaxLength ? escaped : Elide(escaped);
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c is >= '\u007F' and <= '\u009F' || (c > 0x7F && IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c))))
            {
                return true;
            }
        }
        return false;
    }

    // Format (Cf: bidi overrides, zero-width joiners), line/paragraph separators, unpaired surrogates and unassigned
    // code points can each hide or reorder what a reader sees.
    private static bool IsUnsafe(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse;

    private static void AppendChar(StringBuilder builder, char c, bool hexForNonAscii = false)
    {
        switch (c)
        {
            case '\n': builder.Append("\\n"); return;
            case '\r': builder.Append("\\r"); return;
            case '\t': builder.Append("\\t"); return;
            case '\u001B': builder.Append("\\e"); return;
        }
        if (c < 0x20 || c is >= '\u007F' and <= '\u009F' || (hexForNonAscii && c > 0x7F))
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
        }
        else if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c)))
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        else
        {
            builder.Append(c);
        }
    }

    private static string Elide(string text)
    {
        var keep = (MaxLength - 20) / 2;
        // Never cut between a surrogate pair's halves: that would leave an unpaired surrogate in the output.
        var head = char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
        var tailStart = text.Length - keep;
        if (char.IsLowSurrogate(text[tailStart]))
        {
            tailStart++;
        }
        var cut = string.Create(CultureInfo.InvariantCulture, $"…({tailStart - head:N0} chars)…");
        return string.Concat(text.AsSpan(0, head), cut, text.AsSpan(tailStart));
    }
}
