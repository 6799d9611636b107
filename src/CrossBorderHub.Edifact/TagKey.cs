using System.Runtime.CompilerServices;

namespace CrossBorderHub.Edifact;

/// <summary>A three-letter segment tag packed in an int, so hot paths compare and look up tags without strings.</summary>
public static class TagKey
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(ReadOnlySpan<byte> tag) => tag.Length == 3 ? tag[0] | (tag[1] << 8) | (tag[2] << 16) : -1;

    public static int Of(string tag) => tag.Length == 3 ? tag[0] | (tag[1] << 8) | (tag[2] << 16) : -1;

    /// <summary>Number of distinct tags of three upper-case letters or digits: the size of a table by <see cref="Index"/>.</summary>
    public const int IndexCount = 36 * 36 * 36;

    /// <summary>A dense index 0..<see cref="IndexCount"/>-1 for a key of three A-Z/0-9 bytes, else -1: table lookups instead of hashing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(int key)
    {
        var a = Digit[key & 0xFF];
        var b = Digit[(key >> 8) & 0xFF];
        var c = Digit[(key >> 16) & 0xFF];
        return a < 0 || b < 0 || c < 0 || key >> 24 != 0 ? -1 : (a * 36 + b) * 36 + c;
    }

    private static readonly sbyte[] Digit = BuildDigits();

    private static sbyte[] BuildDigits()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < 26; i++)
        {
            table['A' + i] = (sbyte)i;
        }
        for (var i = 0; i < 10; i++)
        {
            table['0' + i] = (sbyte)(26 + i);
        }
        return table;
    }

    public const int Una = 'U' | ('N' << 8) | ('A' << 16);
    public const int Unb = 'U' | ('N' << 8) | ('B' << 16);
    public const int Ung = 'U' | ('N' << 8) | ('G' << 16);
    public const int Une = 'U' | ('N' << 8) | ('E' << 16);
    public const int Unh = 'U' | ('N' << 8) | ('H' << 16);
    public const int Unt = 'U' | ('N' << 8) | ('T' << 16);
    public const int Unz = 'U' | ('N' << 8) | ('Z' << 16);
    public const int Uns = 'U' | ('N' << 8) | ('S' << 16);
}
