using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// AES-GCM decryption for nonces other than 12 bytes (NIST SP 800-38D: J0 = GHASH(IV padded, length)), which
/// .NET's AesGcm does not accept but PKI.js (hence libas2) uses (16-byte IVs). CTR keystream from AES-ECB, tag
/// checked in constant time before any plaintext is returned.
/// </summary>
internal static class GcmAnyNonce
{
    public static byte[] Decrypt(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] associatedData)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var h = aes.EncryptEcb(new byte[16], PaddingMode.None);
        var (hHigh, hLow) = (BinaryPrimitives.ReadUInt64BigEndian(h), BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(8)));

        var j0 = new byte[16];
        if (nonce.Length == 12)
        {
            nonce.CopyTo(j0, 0);
            j0[15] = 1;
        }
        else
        {
            ulong yHigh = 0, yLow = 0;
            Absorb(ref yHigh, ref yLow, nonce, hHigh, hLow);
            Block(ref yHigh, ref yLow, 0, (ulong)nonce.Length * 8, hHigh, hLow);
            BinaryPrimitives.WriteUInt64BigEndian(j0, yHigh);
            BinaryPrimitives.WriteUInt64BigEndian(j0.AsSpan(8), yLow);
        }

        ulong sHigh = 0, sLow = 0;
        Absorb(ref sHigh, ref sLow, associatedData, hHigh, hLow);
        Absorb(ref sHigh, ref sLow, ciphertext, hHigh, hLow);
        Block(ref sHigh, ref sLow, (ulong)associatedData.Length * 8, (ulong)ciphertext.Length * 8, hHigh, hLow);
        var expected = aes.EncryptEcb(j0, PaddingMode.None);
        BinaryPrimitives.WriteUInt64BigEndian(expected, BinaryPrimitives.ReadUInt64BigEndian(expected) ^ sHigh);
        BinaryPrimitives.WriteUInt64BigEndian(expected.AsSpan(8), BinaryPrimitives.ReadUInt64BigEndian(expected.AsSpan(8)) ^ sLow);
        if (tag.Length is < 12 or > 16 || !CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, tag.Length), tag))
        {
            throw new AuthenticationTagMismatchException("the AES-GCM tag does not match: wrong key or altered ciphertext");
        }

        // CTR from inc32(J0), keystream made in batches of 4096 blocks.
        var plain = new byte[ciphertext.Length];
        var counter = BinaryPrimitives.ReadUInt32BigEndian(j0.AsSpan(12));
        const int Batch = 4096;
        var counters = new byte[Batch * 16];
        for (var offset = 0; offset < ciphertext.Length; offset += Batch * 16)
        {
            var blocks = Math.Min(Batch, (ciphertext.Length - offset + 15) / 16);
            for (var i = 0; i < blocks; i++)
            {
                counter++;
                j0.AsSpan(0, 12).CopyTo(counters.AsSpan(i * 16));
                BinaryPrimitives.WriteUInt32BigEndian(counters.AsSpan(i * 16 + 12), counter);
            }
            var stream = aes.EncryptEcb(counters.AsSpan(0, blocks * 16), PaddingMode.None);
            var length = Math.Min(blocks * 16, ciphertext.Length - offset);
            for (var i = 0; i < length; i++)
            {
                plain[offset + i] = (byte)(ciphertext[offset + i] ^ stream[i]);
            }
        }
        return plain;
    }

    /// <summary>GHASH over data, zero-padded to whole blocks.</summary>
    private static void Absorb(ref ulong yHigh, ref ulong yLow, ReadOnlySpan<byte> data, ulong hHigh, ulong hLow)
    {
        Span<byte> block = stackalloc byte[16];
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            block.Clear();
            data.Slice(offset, Math.Min(16, data.Length - offset)).CopyTo(block);
            Block(ref yHigh, ref yLow, BinaryPrimitives.ReadUInt64BigEndian(block), BinaryPrimitives.ReadUInt64BigEndian(block[8..]), hHigh, hLow);
        }
    }

    /// <summary>Y = (Y xor X) * H in GF(2^128) with GCM's bit order.</summary>
    private static void Block(ref ulong yHigh, ref ulong yLow, ulong xHigh, ulong xLow, ulong hHigh, ulong hLow)
    {
        var aHigh = yHigh ^ xHigh;
        var aLow = yLow ^ xLow;
        ulong zHigh = 0, zLow = 0, vHigh = hHigh, vLow = hLow;
        for (var i = 0; i < 128; i++)
        {
            var bit = i < 64 ? (aHigh >> (63 - i)) & 1 : (aLow >> (127 - i)) & 1;
            if (bit != 0)
            {
                zHigh ^= vHigh;
                zLow ^= vLow;
            }
            var carry = vLow & 1;
            vLow = (vLow >> 1) | (vHigh << 63);
            vHigh >>= 1;
            if (carry != 0)
            {
                vHigh ^= 0xE100000000000000UL;
            }
        }
        yHigh = zHigh;
        yLow = zLow;
    }
}
