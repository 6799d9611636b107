using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace CrossBorderHub.Edifact;

/// <summary>Unescaping, decoding and escaping of EDIFACT values.</summary>
public static class EdifactText
{
    /// <summary>Removes release characters (a release makes the following byte data) and decodes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Decode(ReadOnlySpan<byte> raw, byte release, EdifactCharset charset)
    {
        if (release == 0 || raw.IndexOf(release) < 0)
        {
            return charset.Encoding.GetString(raw);
        }
        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var n = Unescape(raw, release, rented);
            return charset.Encoding.GetString(rented, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Copies <paramref name="raw"/> without its release characters; returns the length written.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, byte release, Span<byte> destination)
    {
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == release && release != 0 && i + 1 < raw.Length)
            {
                i++;
            }
            destination[n++] = raw[i];
        }
        return n;
    }

    /// <summary>Length of the value once unescaped (what ISO 9735 counts for an..35), release characters excluded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int UnescapedLength(ReadOnlySpan<byte> raw, byte release, bool utf8)
    {
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == release && release != 0 && i + 1 < raw.Length)
            {
                i++;
            }
            // A UTF-8 character counts once: continuation bytes are not characters.
            if (!utf8 || (raw[i] & 0xC0) != 0x80)
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Encodes and escapes a value for writing with <paramref name="delimiters"/>.</summary>
    public static byte[] Escape(string value, Delimiters delimiters, EdifactCharset charset)
    {
        var bytes = charset.Encoding.GetBytes(value);
        var extra = 0;
        foreach (var b in bytes)
        {
            if (delimiters.IsDelimiter(b))
            {
                extra++;
            }
        }
        if (extra == 0)
        {
            return bytes;
        }
        if (delimiters.Release == 0)
        {
            throw new ArgumentException($"'{value}' contains a separator and the interchange has no release character.", nameof(value));
        }
        var result = new byte[bytes.Length + extra];
        var n = 0;
        foreach (var b in bytes)
        {
            if (delimiters.IsDelimiter(b))
            {
                result[n++] = delimiters.Release;
            }
            result[n++] = b;
        }
        return result;
    }

    public static string Latin(ReadOnlySpan<byte> raw) => Encoding.Latin1.GetString(raw);
}
