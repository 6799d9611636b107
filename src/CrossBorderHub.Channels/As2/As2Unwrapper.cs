using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Channels;
using MimeKit;

namespace CrossBorderHub.Channels.As2;

/// <summary>The payload found inside a message's security layers, with what those layers were and the MIC to return.</summary>
internal sealed record As2Unwrapped(Func<Stream> OpenPayload, long PayloadLength, string FileName, string Mic, bool Signed, bool Encrypted, bool Compressed);

/// <summary>
/// Takes a spooled message apart: decrypts with the hub certificate, verifies against the partner's pinned
/// certificates, decompresses, computes the MIC (RFC 4130 7.3.1) and enforces the partner's security policy.
/// One entry point, <see cref="UnwrapAsync"/>: large encrypted + signed messages go file to file (memory stays flat),
/// everything else through the layers in memory. Problems are <see cref="As2SecurityException"/> (with the MDN's
/// failure modifier), <see cref="FormatException"/> (malformed MIME) or a cryptographic exception.
/// </summary>
internal sealed class As2Unwrapper(As2ReceiverOptions options)
{
    private X509Certificate2 HubCertificate => options.HubCertificate;

    /// <param name="decrypted">Where the streaming path may write the decrypted message; the caller deletes it.</param>
    public async Task<As2Unwrapped> UnwrapAsync(
        IReadOnlyList<KeyValuePair<string, string>> contentHeaders, string spool, string decrypted, As2PartnerProfile partner, As2MdnRequest mdnRequest, CancellationToken cancellationToken)
    {
        var unwrapped = UnwrapStreaming(contentHeaders, spool, decrypted, partner, mdnRequest)
            ?? Unwrap(RawMimeEntity.FromHeadersAndBody(contentHeaders, await File.ReadAllBytesAsync(spool, cancellationToken)), partner, mdnRequest);
        if (partner.RequireEncryption && !unwrapped.Encrypted)
        {
            throw new As2SecurityException("insufficient-message-security", $"partner {partner.Partner} must encrypt, but the message is not encrypted");
        }
        if (partner.RequireSignature && !unwrapped.Signed)
        {
            throw new As2SecurityException("insufficient-message-security", $"partner {partner.Partner} must sign, but the message is not signed");
        }
        return unwrapped;
    }

    /// <summary>
    /// Large encrypted + signed messages are decrypted file to file and verified by scanning, so memory stays flat.
    /// Null when the message is small or has a shape the streaming path does not handle: the in-memory path runs.
    /// </summary>
    private As2Unwrapped? UnwrapStreaming(IReadOnlyList<KeyValuePair<string, string>> contentHeaders, string spool, string decrypted, As2PartnerProfile partner, As2MdnRequest mdnRequest)
    {
        var top = RawMimeEntity.FromHeadersAndBody(contentHeaders, ReadOnlyMemory<byte>.Empty);
        var encoding = top.Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant();
        if (new FileInfo(spool).Length < options.StreamingThresholdBytes
            || top.MediaType is not ("application/pkcs7-mime" or "application/x-pkcs7-mime")
            || top.ContentType.Parameters["smime-type"]?.ToLowerInvariant() is "compressed-data"
            || encoding is "base64" or "quoted-printable")
        {
            return null;
        }
        try
        {
            if (!As2StreamingDecryptor.TryDecrypt(spool, decrypted, HubCertificate))
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException or IOException)
        {
            throw new As2SecurityException("decryption-failed", $"cannot decrypt the message with the hub's certificate {HubCertificate.Subject} ({ex.Message})", ex);
        }
        var result = As2StreamingSigned.TryVerify(decrypted, partner.Pinned(), mdnRequest.MicAlgorithm, mdnRequest.MicToken);
        if (result is null)
        {
            return null;
        }
        return new As2Unwrapped(() => new FileRangeStream(decrypted, result.PayloadOffset, result.PayloadLength), result.PayloadLength, result.FileName, result.Mic, Signed: true, Encrypted: true, Compressed: false);
    }

    private As2Unwrapped Unwrap(RawMimeEntity top, As2PartnerProfile partner, As2MdnRequest mdnRequest)
    {
        var entity = top;
        // RFC 4130 7.3.1: the MIC is over the signed entity when signed, else over the decrypted entity, else the payload.
        ReadOnlyMemory<byte>? signedContent = null;
        ReadOnlyMemory<byte>? decryptedContent = null;
        bool signed = false, encrypted = false, compressed = false;
        HashAlgorithmName? signerDigest = null;
        for (var depth = 0; depth < 8; depth++)
        {
            var mediaType = entity.MediaType;
            if (mediaType is "application/pkcs7-mime" or "application/x-pkcs7-mime")
            {
                var smimeType = entity.ContentType.Parameters["smime-type"]?.ToLowerInvariant();
                byte[] der;
                try
                {
                    der = entity.DecodedBody();
                }
                catch (FormatException ex)
                {
                    throw new As2SecurityException(smimeType == "compressed-data" ? "decompression-failed" : "decryption-failed", $"the pkcs7-mime body cannot be decoded ({ex.Message})", ex);
                }
                if (smimeType == "compressed-data")
                {
                    entity = RawMimeEntity.Parse(As2Cms.Decompress(der));
                    compressed = true;
                }
                else
                {
                    var plain = As2Cms.Decrypt(der, HubCertificate);
                    encrypted = true;
                    decryptedContent ??= plain;
                    entity = RawMimeEntity.Parse(plain);
                }
            }
            else if (mediaType == "multipart/signed")
            {
                IReadOnlyList<RawMimeEntity> parts;
                try
                {
                    parts = entity.Parts();
                }
                catch (FormatException ex)
                {
                    throw new As2SecurityException("integrity-check-failed", $"the signed message is incomplete ({ex.Message})", ex);
                }
                if (parts.Count < 2)
                {
                    throw new As2SecurityException("integrity-check-failed", "the multipart/signed message has no signature part");
                }
                var (digest, content) = As2Cms.VerifyDetachedTolerant(parts[0].Raw, parts[1].DecodedBody(), partner.Pinned());
                signerDigest = digest;
                signed = true;
                signedContent ??= content;
                entity = RawMimeEntity.Parse(content);
            }
            else
            {
                var payload = entity.DecodedBody();
                var micDigest = mdnRequest.MicAlgorithm ?? signerDigest ?? HashAlgorithmName.SHA256;
                var mic = As2MimeBuilder.Mic((signedContent ?? decryptedContent ?? entity.Body).Span, micDigest, mdnRequest.MicToken);
                return new As2Unwrapped(() => new MemoryStream(payload, writable: false), payload.Length, FileNameOf(entity), mic, signed, encrypted, compressed);
            }
        }
        throw new As2SecurityException("unexpected-processing-error", "the message nests more than 8 security layers");
    }

    private static string FileNameOf(RawMimeEntity entity)
    {
        var disposition = entity.Header("Content-Disposition");
        if (disposition is not null && ContentDisposition.TryParse(disposition, out var parsed) && !string.IsNullOrWhiteSpace(parsed.FileName))
        {
            return SafeFileName.From(parsed.FileName);
        }
        var name = entity.ContentType.Name;
        return string.IsNullOrWhiteSpace(name) ? "as2-payload.dat" : SafeFileName.From(name);
    }
}
