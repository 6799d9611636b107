using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Decrypts a CMS EnvelopedData (AES-CBC or 3DES, RSA key transport) from a file to a file with a fixed-size buffer,
/// so a large message never sits in memory. Reads the BER structure header by header; only the small parts
/// (recipient infos, algorithm) are parsed as a whole. Returns false for shapes it does not stream (GCM,
/// AuthEnvelopedData, indefinite-length recipient infos): the caller then uses the in-memory path.
/// </summary>
internal static class As2StreamingDecryptor
{
    private const string EnvelopedDataOid = "1.2.840.113549.1.7.3";

    public static bool TryDecrypt(string encryptedPath, string decryptedPath, X509Certificate2 hubCertificate)
    {
        using var input = new FileStream(encryptedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new BerStream(input);
        reader.Expect(0x30); // ContentInfo
        if (reader.ReadOid() != EnvelopedDataOid)
        {
            return false;
        }
        reader.Expect(0xA0);
        reader.Expect(0x30); // EnvelopedData
        reader.ReadWhole(); // version
        var next = reader.ReadWhole();
        if (next[0] == 0xA0)
        {
            next = reader.ReadWhole(); // originatorInfo
        }
        if (next[0] != 0x31)
        {
            throw new CryptographicException("EnvelopedData without recipientInfos");
        }
        reader.Expect(0x30); // EncryptedContentInfo
        reader.ReadOid();
        var algorithm = new AsnReader(reader.ReadWhole(), AsnEncodingRules.BER).ReadSequence();
        var algorithmOid = algorithm.ReadObjectIdentifier();
        SymmetricAlgorithm cipher = algorithmOid switch
        {
            "2.16.840.1.101.3.4.1.2" or "2.16.840.1.101.3.4.1.22" or "2.16.840.1.101.3.4.1.42" => Aes.Create(),
#pragma warning disable CA5350 // 3DES: old partners still send it; we only decrypt what they chose.
            "1.2.840.113549.3.7" => TripleDES.Create(),
#pragma warning restore CA5350
            _ => null!,
        };
        if (cipher is null)
        {
            return false;
        }
        using (cipher)
        {
            var iv = algorithm.ReadOctetString();
            var key = As2GcmDecryptor.DecryptContentKey(new AsnReader(next, AsnEncodingRules.BER).ReadSetOf(), hubCertificate);
            using var decryptor = cipher.CreateDecryptor(key, iv);
            using var output = new FileStream(decryptedPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            using (var crypto = new CryptoStream(output, decryptor, CryptoStreamMode.Write, leaveOpen: true))
            {
                var (tag, length) = reader.ReadHeader();
                if (tag == 0x80)
                {
                    reader.CopyContent(length, crypto);
                }
                else if (tag == 0xA0)
                {
                    // Constructed: OCTET STRING chunks until the end (definite) or end-of-contents (indefinite).
                    var end = length < 0 ? long.MaxValue : reader.Position + length;
                    while (reader.Position < end)
                    {
                        var (chunkTag, chunkLength) = reader.ReadHeader();
                        if (chunkTag == 0x00 && chunkLength == 0)
                        {
                            break;
                        }
                        if (chunkTag != 0x04 || chunkLength < 0)
                        {
                            throw new CryptographicException($"unexpected tag 0x{chunkTag:X2} in the encrypted content");
                        }
                        reader.CopyContent(chunkLength, crypto);
                    }
                }
                else
                {
                    throw new CryptographicException($"unexpected tag 0x{tag:X2} for the encrypted content");
                }
                crypto.FlushFinalBlock();
            }
            output.Flush(flushToDisk: false);
        }
        return true;
    }

    /// <summary>A forward-only BER reader over a stream: tag and length headers, small elements read whole.</summary>
    private sealed class BerStream(Stream stream)
    {
        public long Position { get; private set; }

        public (byte Tag, long Length) ReadHeader()
        {
            var tag = ReadByte();
            if ((tag & 0x1F) == 0x1F)
            {
                throw new CryptographicException("multi-byte BER tags are not used by CMS");
            }
            var first = ReadByte();
            if (first < 0x80)
            {
                return (tag, first);
            }
            if (first == 0x80)
            {
                return (tag, -1);
            }
            var count = first & 0x7F;
            if (count > 7)
            {
                throw new CryptographicException("BER length too large");
            }
            long length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | ReadByte();
            }
            return (tag, length);
        }

        public void Expect(byte tag)
        {
            var (actual, _) = ReadHeader();
            if (actual != tag)
            {
                throw new CryptographicException($"expected tag 0x{tag:X2} but found 0x{actual:X2} at byte {Position - 2}");
            }
        }

        public string ReadOid() => new AsnReader(ReadWhole(), AsnEncodingRules.BER).ReadObjectIdentifier();

        /// <summary>One complete small element with definite length, header included.</summary>
        public byte[] ReadWhole()
        {
            var start = Position;
            var (tag, length) = ReadHeader();
            if (length < 0 || length > 16 * 1024 * 1024)
            {
                throw new CryptographicException($"element 0x{tag:X2} at byte {start} has an indefinite or oversized length");
            }
            // Rebuilt as DER (tag + minimal definite length): AsnReader then parses it under BER rules as usual.
            var header = new AsnWriterHeader(tag, length).Bytes;
            var result = new byte[header.Length + length];
            header.CopyTo(result, 0);
            stream.ReadExactly(result, header.Length, (int)length);
            Position += length;
            return result;
        }

        public void CopyContent(long length, Stream destination)
        {
            var buffer = new byte[1 << 16];
            var left = length;
            while (left > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new CryptographicException("the encrypted content is truncated");
                }
                destination.Write(buffer, 0, read);
                left -= read;
                Position += read;
            }
        }

        private byte ReadByte()
        {
            var value = stream.ReadByte();
            if (value < 0)
            {
                throw new CryptographicException($"the CMS structure is truncated at byte {Position}");
            }
            Position++;
            return (byte)value;
        }
    }

    /// <summary>DER header bytes for a tag and definite length.</summary>
    private readonly struct AsnWriterHeader(byte tag, long length)
    {
        public byte[] Bytes
        {
            get
            {
                if (length < 0x80)
                {
                    return [tag, (byte)length];
                }
                var lengthBytes = new List<byte>();
                for (var value = length; value > 0; value >>= 8)
                {
                    lengthBytes.Insert(0, (byte)(value & 0xFF));
                }
                return [tag, (byte)(0x80 | lengthBytes.Count), .. lengthBytes];
            }
        }
    }
}
