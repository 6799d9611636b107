using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrossBorderHub.Edifact;

/// <summary>
/// The structural index shared by <see cref="EdifactReader"/> and the segment reader's scanner: a block of up to 64
/// bytes compared against every delimiter at once, giving one bit per unreleased separator (simdjson's idea).
/// </summary>
internal static class StructuralIndex
{
    public const int BlockSize = 64;

    /// <summary>
    /// The separator mask of buffer[start..start+length) (length at most 64) with escaped bytes cleared, and the
    /// raw positions of release bytes. An unused release or repetition character is passed as the terminator.
    /// <paramref name="carry"/> says the first byte is escaped by a release ending the previous block, and is set
    /// when this block ends in one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Block(ReadOnlySpan<byte> buffer, int start, int length, byte component, byte element, byte terminator,
        byte repetition, byte release, ref bool carry, out ulong releaseBytes)
    {
        ulong mask, releases;
        if (length == BlockSize && Vector256.IsHardwareAccelerated)
        {
            ref var origin = ref MemoryMarshal.GetReference(buffer);
            var lo = Vector256.LoadUnsafe(ref origin, (nuint)start);
            var hi = Vector256.LoadUnsafe(ref origin, (nuint)start + 32);
            var c = Vector256.Create(component);
            var e = Vector256.Create(element);
            var s = Vector256.Create(terminator);
            var p = Vector256.Create(repetition);
            var r = Vector256.Create(release);
            var ls = Vector256.Equals(lo, c) | Vector256.Equals(lo, e) | Vector256.Equals(lo, s) | Vector256.Equals(lo, p);
            var hs = Vector256.Equals(hi, c) | Vector256.Equals(hi, e) | Vector256.Equals(hi, s) | Vector256.Equals(hi, p);
            mask = ls.ExtractMostSignificantBits() | ((ulong)hs.ExtractMostSignificantBits() << 32);
            releases = Vector256.Equals(lo, r).ExtractMostSignificantBits() | ((ulong)Vector256.Equals(hi, r).ExtractMostSignificantBits() << 32);
        }
        else
        {
            mask = 0;
            releases = 0;
            for (var i = 0; i < length; i++)
            {
                var b = buffer[start + i];
                if (b == component || b == element || b == terminator || b == repetition)
                {
                    mask |= 1UL << i;
                }
                if (b == release)
                {
                    releases |= 1UL << i;
                }
            }
        }
        if (release == terminator)
        {
            releases = 0; // no release character in use: the terminator stands in for it in the compares
        }
        releaseBytes = releases;
        return releases != 0 || carry ? ApplyReleases(mask, releases, length, ref carry) : mask;
    }

    /// <summary>Clears the bits of bytes escaped by a release character (which may itself be escaped: "??").</summary>
    private static ulong ApplyReleases(ulong mask, ulong releases, int length, ref bool carry)
    {
        if (carry)
        {
            // The first byte of this block was escaped by a release at the end of the previous one.
            mask &= ~1UL;
            releases &= ~1UL;
            carry = false;
        }
        mask &= ~releases;
        while (releases != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(releases);
            releases &= releases - 1;
            if (i + 1 >= length)
            {
                carry = true;
                break;
            }
            var escaped = 1UL << (i + 1);
            mask &= ~escaped;
            releases &= ~escaped;
        }
        return mask;
    }
}
