using System.Formats.Asn1;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Channels.As2;

/// <summary>Why a CMS step failed; maps to the AS2 disposition modifier of the negative MDN.</summary>
internal sealed class As2SecurityException(string modifier, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>RFC 4130 disposition modifier: decryption-failed, authentication-failed, integrity-check-failed, ...</summary>
    public string Modifier { get; } = modifier;
}

/// <summary>The CMS operations of AS2: sign/verify (detached), encrypt/decrypt, compress/decompress (RFC 3274/5402).</summary>
internal static class As2Cms
{
    public const string CompressedDataOid = "1.2.840.113549.1.9.16.1.9";
    private const string ZlibOid = "1.2.840.113549.1.9.16.3.8";
    private const string DataOid = "1.2.840.113549.1.7.1";

    public static byte[] SignDetached(ReadOnlySpan<byte> content, X509Certificate2 signer, HashAlgorithmName digest, DateTimeOffset now)
    {
        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new Oid(As2Algorithms.DigestOid(digest)),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(now.UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);
        return NameSignatureAlgorithm(cms.Encode(), digest);
    }

    /// <summary>
    /// .NET writes the SignerInfo's signatureAlgorithm as rsaEncryption; PKI.js (hence libas2) and some AS2 products
    /// only accept shaNNNWithRSAEncryption there. RFC 5754 allows both and the field is outside the signed bytes, so
    /// the SignerInfos are rewritten with the combined algorithm name.
    /// </summary>
    private static byte[] NameSignatureAlgorithm(byte[] der, HashAlgorithmName digest)
    {
        var combined = digest.Name switch
        {
            "SHA1" => "1.2.840.113549.1.1.5",
            "SHA256" => "1.2.840.113549.1.1.11",
            "SHA384" => "1.2.840.113549.1.1.12",
            "SHA512" => "1.2.840.113549.1.1.13",
            _ => null,
        };
        if (combined is null)
        {
            return der;
        }
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var contentType = outer.ReadObjectIdentifier();
        var signedData = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(contentType);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                while (signedData.HasData)
                {
                    if (signedData.PeekTag().HasSameClassAndValue(Asn1Tag.SetOf) && !signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        var set = signedData.ReadSetOf();
                        if (!signedData.HasData)
                        {
                            // the last SET is signerInfos (digestAlgorithms comes first and is followed by more)
                            using (writer.PushSetOf())
                            {
                                while (set.HasData)
                                {
                                    WriteSignerInfo(writer, set.ReadSequence(), combined);
                                }
                            }
                            break;
                        }
                        using (writer.PushSetOf())
                        {
                            while (set.HasData)
                            {
                                writer.WriteEncodedValue(set.ReadEncodedValue().Span);
                            }
                        }
                        continue;
                    }
                    writer.WriteEncodedValue(signedData.ReadEncodedValue().Span);
                }
            }
        }
        return writer.Encode();
    }

    private static void WriteSignerInfo(AsnWriter writer, AsnReader signerInfo, string combined)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // version
            writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // sid
            writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // digestAlgorithm
            if (signerInfo.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // signedAttrs
            }
            var algorithm = signerInfo.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            using (writer.PushSequence())
            {
                if (oid == "1.2.840.113549.1.1.1")
                {
                    writer.WriteObjectIdentifier(combined);
                    writer.WriteNull();
                }
                else
                {
                    writer.WriteObjectIdentifier(oid);
                    while (algorithm.HasData)
                    {
                        writer.WriteEncodedValue(algorithm.ReadEncodedValue().Span);
                    }
                }
            }
            while (signerInfo.HasData)
            {
                writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span);
            }
        }
    }

    /// <summary>
    /// Verifies a detached signature against the partner's PINNED certificates only: certificates inside the message
    /// are removed before checking, so an attacker's self-made certificate with the right issuer and serial is useless.
    /// Returns the digest algorithm the signer used. A content digest mismatch is integrity-check-failed; a signature
    /// that no pinned certificate verifies is authentication-failed.
    /// </summary>
    public static HashAlgorithmName VerifyDetached(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, X509Certificate2Collection pinned)
    {
        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException ex)
        {
            throw new As2SecurityException("integrity-check-failed", $"the pkcs7-signature part is not a valid CMS SignedData ({ex.Message})", ex);
        }
        SignerInfo signerInfo;
        HashAlgorithmName digest;
        byte[]? expected;
        // SignedCms decodes certificates and signed attributes lazily: damaged ones throw here, after Decode, and are
        // a bad signature like any other (found by fuzzing: it escaped as CryptographicException, a crash).
        try
        {
            foreach (var embedded in cms.Certificates.Cast<X509Certificate2>().ToList())
            {
                cms.RemoveCertificate(embedded);
            }
            if (cms.SignerInfos.Count == 0)
            {
                throw new As2SecurityException("authentication-failed", "the signature has no signer");
            }
            signerInfo = cms.SignerInfos[0];
            digest = As2Algorithms.DigestFromOid(signerInfo.DigestAlgorithm.Value)
                ?? throw new As2SecurityException("integrity-check-failed", $"unsupported digest algorithm {signerInfo.DigestAlgorithm.Value}");
            expected = signerInfo.SignedAttributes.Cast<CryptographicAttributeObject>()
                .Where(a => a.Oid.Value == "1.2.840.113549.1.9.4")
                .SelectMany(a => a.Values.Cast<AsnEncodedData>())
                .Select(v => new Pkcs9MessageDigest { RawData = v.RawData }.MessageDigest)
                .FirstOrDefault();
        }
        catch (CryptographicException ex)
        {
            throw new As2SecurityException("integrity-check-failed", $"the pkcs7-signature part is damaged ({ex.Message})", ex);
        }
        if (expected is not null && !CryptographicOperations.FixedTimeEquals(expected, As2Algorithms.Hash(digest, content)))
        {
            throw new As2SecurityException("integrity-check-failed", "the content does not match the signed digest: the message was altered in transit");
        }
        if (pinned.Count == 0)
        {
            throw new As2SecurityException("authentication-failed", "no certificate is pinned for this partner: configure TrustedCertificates");
        }
        try
        {
            signerInfo.CheckSignature(pinned, verifySignatureOnly: true);
            return digest;
        }
        catch (CryptographicException ex)
        {
            throw new As2SecurityException("authentication-failed", $"the signature is not from a certificate pinned for this partner ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// <see cref="VerifyDetached"/> with the two variants real peers produce when the exact bytes fail the digest:
    /// the part without its last CRLF (Nodemailer-based stacks such as libas2 sign that; libas2 itself verifies both
    /// ways) and the canonical CRLF form of a part sent with bare LFs. Returns the bytes that verified: the MIC is
    /// computed over them.
    /// </summary>
    public static (HashAlgorithmName Digest, ReadOnlyMemory<byte> Content) VerifyDetachedTolerant(ReadOnlyMemory<byte> content, byte[] signature, X509Certificate2Collection pinned)
    {
        try
        {
            return (VerifyDetached(content.Span, signature, pinned), content);
        }
        catch (As2SecurityException first) when (first.Modifier == "integrity-check-failed")
        {
            var span = content.Span;
            if (span.EndsWith("\r\n"u8))
            {
                var trimmed = content[..^2];
                try
                {
                    return (VerifyDetached(trimmed.Span, signature, pinned), trimmed);
                }
                catch (As2SecurityException again) when (again.Modifier == "integrity-check-failed")
                {
                    // fall through to the canonical form
                }
            }
            if (ContainsBareLf(span))
            {
                var canonical = Canonicalize(span);
                return (VerifyDetached(canonical, signature, pinned), canonical);
            }
            throw;
        }
    }

    private static bool ContainsBareLf(ReadOnlySpan<byte> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n' && (i == 0 || span[i - 1] != (byte)'\r'))
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] Canonicalize(ReadOnlySpan<byte> span)
    {
        var output = new MemoryStream(span.Length + span.Length / 20);
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n' && (i == 0 || span[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }
            output.WriteByte(span[i]);
        }
        return output.ToArray();
    }

    public static byte[] Encrypt(byte[] content, X509Certificate2 recipient, string encryptionOid, bool oaep)
    {
        if (As2Algorithms.IsGcm(encryptionOid))
        {
            throw new NotSupportedException("AES-GCM is supported for decryption only; send with aes128-cbc/aes256-cbc");
        }
        var cms = new EnvelopedCms(new ContentInfo(content), new AlgorithmIdentifier(new Oid(encryptionOid)));
        var cmsRecipient = oaep
            ? new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recipient, RSAEncryptionPadding.OaepSHA256)
            : new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recipient);
        cms.Encrypt(cmsRecipient);
        return cms.Encode();
    }

    /// <summary>Decrypts CMS EnvelopedData (CBC ciphers via EnvelopedCms, AES-GCM by hand) or AuthEnvelopedData (GCM).</summary>
    public static byte[] Decrypt(byte[] der, X509Certificate2 hubCertificate)
    {
        try
        {
            if (As2GcmDecryptor.TryDecrypt(der, hubCertificate, out var plain))
            {
                return plain;
            }
            var cms = new EnvelopedCms();
            cms.Decode(der);
            // With the key itself: the certificate-collection overload searches the machine's stores first.
            using var key = hubCertificate.GetRSAPrivateKey() ?? throw new CryptographicException("the hub certificate has no RSA private key");
            CryptographicException? last = null;
            foreach (var recipient in cms.RecipientInfos)
            {
                try
                {
                    cms.Decrypt(recipient, key);
                    return cms.ContentInfo.Content;
                }
                catch (CryptographicException ex)
                {
                    last = ex;
                }
            }
            throw last ?? new CryptographicException("the message has no recipient");
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or FormatException)
        {
            throw new As2SecurityException("decryption-failed", $"cannot decrypt the message with the hub's certificate {hubCertificate.Subject} ({ex.Message})", ex);
        }
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            // 5552 bytes is the longest run before the sums can overflow 32 bits.
            var block = data[..Math.Min(5552, data.Length)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }
        return (b << 16) | a;
    }

    public static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(CompressedDataOid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(ZlibOid);
                }
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(DataOid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        writer.WriteOctetString(deflated.GetBuffer().AsSpan(0, (int)deflated.Length));
                    }
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>RFC 3274 CompressedData (zlib) to its content; BER (openssl's indefinite lengths) is accepted.</summary>
    public static byte[] Decompress(byte[] der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.BER);
            var contentInfo = reader.ReadSequence();
            var type = contentInfo.ReadObjectIdentifier();
            if (type != CompressedDataOid)
            {
                throw new FormatException($"content type {type} is not id-ct-compressedData");
            }
            var compressedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
            compressedData.ReadInteger();
            var algorithm = compressedData.ReadSequence().ReadObjectIdentifier();
            if (algorithm != ZlibOid)
            {
                throw new FormatException($"compression algorithm {algorithm} is not zlib");
            }
            var encapsulated = compressedData.ReadSequence();
            encapsulated.ReadObjectIdentifier();
            var compressed = encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadOctetString();
            using var input = new MemoryStream(compressed);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            zlib.CopyTo(output);
            var result = output.ToArray();
            // ZLibStream stops quietly at a truncated or damaged stream: check the zlib trailer (Adler-32) ourselves.
            if (compressed.Length < 6 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressed.Length - 4)) != Adler32(result))
            {
                throw new InvalidDataException("the zlib stream is truncated or damaged (Adler-32 mismatch)");
            }
            return result;
        }
        catch (Exception ex) when (ex is AsnContentException or FormatException or InvalidDataException or CryptographicException)
        {
            throw new As2SecurityException("decompression-failed", $"cannot decompress the compressed-data part ({ex.Message})", ex);
        }
    }
}
