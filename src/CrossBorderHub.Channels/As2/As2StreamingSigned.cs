using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// A multipart/signed entity in a file, checked without loading it: the delimiters are found by scanning with a
/// fixed buffer, the signed part is hashed as it is read, the (small) signature part is read whole, and the
/// signature over the signed attributes is verified with the pinned certificate's key. The payload is then a range
/// of the same file. Returns null for shapes it does not stream (nested layers, transfer-encoded payloads).
/// </summary>
internal static class As2StreamingSigned
{
    private const int HeaderLimit = 64 * 1024;

    public sealed record Result(long PayloadOffset, long PayloadLength, string FileName, HashAlgorithmName SignerDigest, string Mic);

    public static Result? TryVerify(string path, X509Certificate2Collection pinned, HashAlgorithmName? micDigest, string? micToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var top = ParseHeadersAt(file, 0);
        if (top is null || top.Value.Entity.MediaType != "multipart/signed" || string.IsNullOrEmpty(top.Value.Entity.ContentType.Boundary))
        {
            return null;
        }
        var delimiter = Encoding.ASCII.GetBytes("--" + top.Value.Entity.ContentType.Boundary);
        var lines = FindDelimiterLines(file, top.Value.BodyOffset, delimiter, 3);
        if (lines.Count < 3 || !lines[2].IsClose)
        {
            throw new As2SecurityException("integrity-check-failed", "the signed message is incomplete: its delimiters are missing");
        }
        var partStart = lines[0].LineEnd;
        var partEnd = lines[1].Start - lines[1].BreakBefore;
        var signatureStart = lines[1].LineEnd;
        var signatureEnd = lines[2].Start - lines[2].BreakBefore;
        if (signatureEnd - signatureStart > 1024 * 1024)
        {
            return null;
        }
        var signaturePart = new byte[signatureEnd - signatureStart];
        file.Position = signatureStart;
        file.ReadExactly(signaturePart);
        var signature = RawMimeEntity.Parse(signaturePart).DecodedBody();

        var payload = ParseHeadersAt(file, partStart);
        if (payload is null || payload.Value.Entity.MediaType is "multipart/signed" or "application/pkcs7-mime" or "application/x-pkcs7-mime"
            || payload.Value.Entity.Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant() is "base64" or "quoted-printable")
        {
            return null;
        }

        var signer = ReadSigner(signature);
        var micAlgorithm = micDigest ?? signer.Digest;
        using var signerHash = IncrementalHash.CreateHash(signer.Digest);
        using var micHash = IncrementalHash.CreateHash(micAlgorithm);
        var (withCrlf, withoutCrlf, micWith, micWithout) = HashRange(file, partStart, partEnd, signerHash, micHash);
        bool trimmed;
        if (signer.MessageDigest is null || CryptographicOperations.FixedTimeEquals(signer.MessageDigest, withCrlf))
        {
            trimmed = false;
        }
        else if (withoutCrlf is not null && CryptographicOperations.FixedTimeEquals(signer.MessageDigest, withoutCrlf))
        {
            trimmed = true; // Nodemailer-style peers sign the part without its last CRLF
        }
        else
        {
            throw new As2SecurityException("integrity-check-failed", "the content does not match the signed digest: the message was altered in transit");
        }
        var contentDigest = trimmed ? withoutCrlf! : withCrlf;
        if (!pinned.Cast<X509Certificate2>().Any(c => Verifies(c, signer, contentDigest)))
        {
            throw new As2SecurityException("authentication-failed", "the signature is not from a certificate pinned for this partner");
        }
        var payloadStart = partStart + payload.Value.BodyOffset;
        var payloadEnd = trimmed ? partEnd - 2 : partEnd;
        var mic = $"{Convert.ToBase64String(trimmed ? micWithout! : micWith)}, {micToken ?? As2Algorithms.MicAlgName(micAlgorithm)}";
        return new Result(payloadStart, payloadEnd - payloadStart, FileName(payload.Value.Entity), signer.Digest, mic);
    }

    private static string FileName(RawMimeEntity entity)
    {
        var disposition = entity.Header("Content-Disposition");
        if (disposition is not null && MimeKit.ContentDisposition.TryParse(disposition, out var parsed) && !string.IsNullOrWhiteSpace(parsed.FileName))
        {
            return SafeFileName.From(parsed.FileName);
        }
        return string.IsNullOrWhiteSpace(entity.ContentType.Name) ? "as2-payload.dat" : SafeFileName.From(entity.ContentType.Name);
    }

    private static (RawMimeEntity Entity, long BodyOffset)? ParseHeadersAt(FileStream file, long offset)
    {
        var buffer = new byte[HeaderLimit];
        file.Position = offset;
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        try
        {
            var entity = RawMimeEntity.Parse(buffer.AsMemory(0, read));
            return (entity, read - entity.Body.Length);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private readonly record struct DelimiterLine(long Start, long LineEnd, int BreakBefore, bool IsClose);

    /// <summary>Delimiter lines ("--boundary" at a line start) from <paramref name="from"/>, with a fixed buffer.</summary>
    private static List<DelimiterLine> FindDelimiterLines(FileStream file, long from, byte[] delimiter, int max)
    {
        var found = new List<DelimiterLine>();
        var buffer = new byte[1 << 20];
        var overlap = delimiter.Length + 4;
        var chunkStart = from;
        var crlf = true;
        while (found.Count < max)
        {
            file.Position = chunkStart;
            var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read <= 0)
            {
                break;
            }
            var span = buffer.AsSpan(0, read);
            var position = 0;
            while (found.Count < max)
            {
                var index = span[position..].IndexOf(delimiter);
                if (index < 0)
                {
                    break;
                }
                var at = position + index;
                var absolute = chunkStart + at;
                var atLineStart = absolute == from || (at > 0 && span[at - 1] == (byte)'\n');
                var lineEnd = span[(at + delimiter.Length)..].IndexOf((byte)'\n');
                if (atLineStart && lineEnd < 0 && read == buffer.Length)
                {
                    break; // the line continues in the next chunk
                }
                if (atLineStart && (found.Count == 0 || absolute > found[^1].Start))
                {
                    var after = at + delimiter.Length;
                    var isClose = after + 1 < read && span[after] == (byte)'-' && span[after + 1] == (byte)'-';
                    if (found.Count == 0)
                    {
                        crlf = lineEnd > 0 && span[after + lineEnd - 1] == (byte)'\r';
                    }
                    var breakBefore = at > 0 && span[at - 1] == (byte)'\n' ? (crlf && at > 1 && span[at - 2] == (byte)'\r' ? 2 : 1) : 0;
                    found.Add(new DelimiterLine(absolute, lineEnd < 0 ? chunkStart + read : absolute + delimiter.Length + lineEnd + 1, breakBefore, isClose));
                    if (isClose)
                    {
                        return found;
                    }
                }
                position = at + 1;
            }
            if (read < buffer.Length)
            {
                break;
            }
            chunkStart += read - overlap;
        }
        return found;
    }

    /// <summary>Hashes [start, end) and, when it ends in CRLF, also [start, end - 2).</summary>
    private static (byte[] With, byte[]? Without, byte[] MicWith, byte[]? MicWithout) HashRange(FileStream file, long start, long end, IncrementalHash signer, IncrementalHash mic)
    {
        var buffer = new byte[1 << 20];
        file.Position = start;
        var left = end - start - 2;
        while (left > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new As2SecurityException("integrity-check-failed", "the signed part is truncated");
            }
            signer.AppendData(buffer, 0, read);
            mic.AppendData(buffer, 0, read);
            left -= read;
        }
        byte[]? without = null, micWithout = null;
        if (end - start >= 2)
        {
            var tail = new byte[2];
            file.ReadExactly(tail);
            if (tail[0] == (byte)'\r' && tail[1] == (byte)'\n')
            {
                without = signer.GetCurrentHash();
                micWithout = mic.GetCurrentHash();
            }
            signer.AppendData(tail);
            mic.AppendData(tail);
        }
        return (signer.GetHashAndReset(), without, mic.GetHashAndReset(), micWithout);
    }

    private sealed record Signer(HashAlgorithmName Digest, byte[]? MessageDigest, byte[]? SignedAttributes, byte[] Signature, string SignatureAlgorithm);

    /// <summary>The first SignerInfo: digest, the messageDigest attribute and the DER of the signed attributes.</summary>
    private static Signer ReadSigner(byte[] signature)
    {
        try
        {
            var contentInfo = new AsnReader(signature, AsnEncodingRules.BER).ReadSequence();
            contentInfo.ReadObjectIdentifier();
            var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
            signedData.ReadInteger();
            signedData.ReadSetOf();
            signedData.ReadSequence();
            while (!signedData.PeekTag().HasSameClassAndValue(Asn1Tag.SetOf))
            {
                signedData.ReadEncodedValue(); // certificates [0], crls [1]
            }
            var signerInfo = signedData.ReadSetOf().ReadSequence();
            signerInfo.ReadInteger();
            signerInfo.ReadEncodedValue();
            var digestOid = signerInfo.ReadSequence().ReadObjectIdentifier();
            var digest = As2Algorithms.DigestFromOid(digestOid) ?? throw new As2SecurityException("integrity-check-failed", $"unsupported digest algorithm {digestOid}");
            byte[]? attributes = null;
            byte[]? messageDigest = null;
            if (signerInfo.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                attributes = signerInfo.ReadEncodedValue().ToArray();
                attributes[0] = 0x31; // signed as a SET OF (RFC 5652 5.4)
                var set = new AsnReader(attributes, AsnEncodingRules.BER).ReadSetOf(skipSortOrderValidation: true);
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    if (attribute.ReadObjectIdentifier() == "1.2.840.113549.1.9.4")
                    {
                        messageDigest = attribute.ReadSetOf().ReadOctetString();
                    }
                }
            }
            var signatureAlgorithm = signerInfo.ReadSequence().ReadObjectIdentifier();
            return new Signer(digest, messageDigest, attributes, signerInfo.ReadOctetString(), signatureAlgorithm);
        }
        catch (AsnContentException ex)
        {
            throw new As2SecurityException("integrity-check-failed", $"the pkcs7-signature part is not a valid CMS SignedData ({ex.Message})", ex);
        }
    }

    private static bool Verifies(X509Certificate2 certificate, Signer signer, byte[] contentDigest)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            // Not RSA: let SignedCms decide (it handles ECDSA), with only the pinned certificate available.
            return false;
        }
        var padding = signer.SignatureAlgorithm == "1.2.840.113549.1.1.10" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return signer.SignedAttributes is null
            ? rsa.VerifyHash(contentDigest, signer.Signature, signer.Digest, padding)
            : rsa.VerifyData(signer.SignedAttributes, signer.Signature, signer.Digest, padding);
    }
}
