using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CrossBorderHub.Channels.As2;

/// <summary>A top-level MIME body: its Content-Type goes into an HTTP header, the bytes into the HTTP body.</summary>
internal sealed record MimeBody(string ContentType, byte[] Body)
{
    /// <summary>The same as a complete MIME entity (Content-Type header, blank line, body), what gets signed or encrypted.</summary>
    public byte[] ToEntity(string? transferEncoding = null)
    {
        var header = transferEncoding is null
            ? $"Content-Type: {ContentType}\r\n\r\n"
            : $"Content-Type: {ContentType}\r\nContent-Transfer-Encoding: {transferEncoding}\r\n\r\n";
        return As2Mdn.Concat(Encoding.ASCII.GetBytes(header), Body);
    }
}

/// <summary>
/// Builds outgoing AS2 structures byte by byte (CRLF everywhere), so that what is signed is exactly what is sent
/// and the MIC the hub expects back is the digest of those bytes.
/// </summary>
internal static class As2MimeBuilder
{
    /// <summary>The payload entity: Content-Type, binary transfer encoding and the file name.</summary>
    public static byte[] PayloadEntity(string contentType, string fileName, ReadOnlySpan<byte> content)
    {
        var safeName = fileName.Replace("\"", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        var header = $"Content-Type: {contentType}\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename=\"{safeName}\"\r\n\r\n";
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var result = new byte[headerBytes.Length + content.Length];
        headerBytes.CopyTo(result, 0);
        content.CopyTo(result.AsSpan(headerBytes.Length));
        return result;
    }

    /// <summary>RFC 5402 compressed-data around an entity.</summary>
    public static MimeBody Compress(ReadOnlySpan<byte> entity) =>
        new("application/pkcs7-mime; smime-type=compressed-data; name=\"smime.p7z\"", As2Cms.Compress(entity));

    /// <summary>multipart/signed (RFC 1847) with a detached CMS signature over <paramref name="entity"/> exactly.</summary>
    public static MimeBody Sign(byte[] entity, X509Certificate2 signer, HashAlgorithmName digest, DateTimeOffset now)
    {
        var boundary = "----=_signed_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var signature = As2Cms.SignDetached(entity, signer, digest, now);
        var micalg = As2Algorithms.MicAlgName(digest);
        var signaturePart = new StringBuilder()
            .Append("\r\n--").Append(boundary).Append("\r\n")
            .Append("Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n")
            .Append("Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n")
            .Append(Convert.ToBase64String(signature, Base64FormattingOptions.InsertLineBreaks))
            .Append("\r\n--").Append(boundary).Append("--\r\n");
        var body = As2Mdn.Concat(
            As2Mdn.Concat(Encoding.ASCII.GetBytes($"--{boundary}\r\n"), entity),
            Encoding.ASCII.GetBytes(signaturePart.ToString()));
        return new MimeBody($"multipart/signed; protocol=\"application/pkcs7-signature\"; micalg={micalg}; boundary=\"{boundary}\"", body);
    }

    /// <summary>application/pkcs7-mime enveloped-data (binary DER body, as AS2 sends it).</summary>
    public static MimeBody Encrypt(byte[] entity, X509Certificate2 recipient, string encryptionOid, bool oaep) =>
        new("application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"", As2Cms.Encrypt(entity, recipient, encryptionOid, oaep));

    /// <summary>"base64digest, sha-256": the Received-Content-MIC value format.</summary>
    public static string Mic(ReadOnlySpan<byte> content, HashAlgorithmName digest, string? algorithmToken = null) =>
        $"{Convert.ToBase64String(As2Algorithms.Hash(digest, content))}, {algorithmToken ?? As2Algorithms.MicAlgName(digest)}";
}
