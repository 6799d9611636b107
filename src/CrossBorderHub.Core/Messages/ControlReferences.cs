using System.Globalization;

namespace CrossBorderHub.Core.Messages;

/// <summary>
/// Control references the hub writes (CONTRL, APERAK, split parts): a letter and digits of an FNV-1a hash of a seed,
/// so an..14, alphanumeric (fits UNOA) and the same on every re-run of the same message after a crash.
/// </summary>
public static class ControlReferences
{
    /// <summary>FNV-1a's offset basis. The CONTRL references were first made from 0; they keep it so they stay as they were.</summary>
    public const ulong FnvOffsetBasis = 14695981039346656037UL;

    /// <param name="prefix">One letter saying what the reference names.</param>
    /// <param name="digits">How many decimal digits follow it (prefix + digits &lt;= 14).</param>
    public static string For(char prefix, string seed, int digits, ulong basis = FnvOffsetBasis)
    {
        var hash = basis;
        foreach (var c in seed)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var modulus = (ulong)Math.Pow(10, digits);
        return prefix + (hash % modulus).ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
