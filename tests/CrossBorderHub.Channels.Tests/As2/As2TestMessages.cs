using System.Security.Cryptography;
using CrossBorderHub.Channels.As2;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Builds AS2 requests with openssl (an independent CMS implementation) and receivers to post them to.</summary>
internal static class As2TestMessages
{
    public const string HubId = "XBHUB";
    public const string PartnerId = "CNSW";

    public static readonly byte[] Edifact = Encoding.ASCII.GetBytes(
        "UNA:+.? 'UNB+UNOC:3+CNSW:ZZZ+XBHUB:ZZZ+261123:1200+REF0001'UNH+1+CUSDEC:D:96B:UN'BGM+929+DOC1+9'UNT+3+1'UNZ+1+REF0001'");

    public static As2Receiver Receiver(string dataRoot, bool requireSignature = true, bool requireEncryption = false, long maxBody = 64L * 1024 * 1024, long streamingThreshold = 8L * 1024 * 1024) =>
        new(new As2ReceiverOptions
        {
            HubIds = [HubId],
            HubCertificate = As2TestEnvironment.Hub.Certificate,
            DataRoot = dataRoot,
            MaxBodyBytes = maxBody,
            StreamingThresholdBytes = streamingThreshold,
            Partners =
            [
                new As2PartnerProfile
                {
                    Partner = "CN",
                    As2Id = PartnerId,
                    TrustedCertificates = [As2TestEnvironment.Partner.Certificate],
                    RequireSignature = requireSignature,
                    RequireEncryption = requireEncryption,
                },
            ],
        }, TimeProvider.System, As2TestLog.For<As2Receiver>());

    public static byte[] PayloadEntity(byte[]? content = null) =>
        As2MimeBuilder.PayloadEntity("application/edifact", "cusdec.edi", content ?? Edifact);

    /// <summary>openssl cms -sign: multipart/signed with CRLF line ends, content kept binary.</summary>
    public static byte[] OpensslSign(byte[] entity, TestIdentity signer, string digest = "sha256") =>
        As2TestEnvironment.Run("openssl", $"cms -sign -binary -crlfeol -md {digest} -signer {signer.CertificatePath} -inkey {signer.KeyPath}", entity);

    /// <summary>openssl cms -encrypt to the hub's certificate; <paramref name="cipher"/> as openssl names it.</summary>
    public static byte[] OpensslEncrypt(byte[] entity, string cipher = "aes-256-cbc", bool oaep = false, TestIdentity? recipient = null)
    {
        var certificate = (recipient ?? As2TestEnvironment.Hub).CertificatePath;
        var padding = oaep ? " -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256" : "";
        return As2TestEnvironment.Run("openssl", $"cms -encrypt -binary -{cipher} -outform DER -recip {certificate}{padding}", entity);
    }

    /// <summary>Turns a complete MIME entity (e.g. openssl's signed output) into an AS2 request: its headers go to HTTP.</summary>
    public static As2Request Request(byte[] entity, string? messageId = null, bool signedMdn = true, string micalg = "sha-256", string? asyncUrl = null, string to = HubId, string from = PartnerId)
    {
        var parsed = RawMimeEntity.Parse(entity);
        var headers = As2Request.NewHeaders();
        foreach (var (name, value) in parsed.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = value;
            }
        }
        return Request(headers, parsed.Body.ToArray(), messageId, signedMdn, micalg, asyncUrl, to, from);
    }

    public static As2Request EncryptedRequest(byte[] der, string? messageId = null, bool signedMdn = true, string micalg = "sha-256", string? asyncUrl = null)
    {
        var headers = As2Request.NewHeaders();
        headers["Content-Type"] = "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m";
        return Request(headers, der, messageId, signedMdn, micalg, asyncUrl, HubId, PartnerId);
    }

    private static As2Request Request(Dictionary<string, string> headers, byte[] body, string? messageId, bool signedMdn, string micalg, string? asyncUrl, string to, string from)
    {
        headers["AS2-Version"] = "1.2";
        headers["AS2-From"] = from;
        headers["AS2-To"] = to;
        headers["Message-ID"] = messageId ?? $"<{Guid.NewGuid():N}@cnsw.test>";
        headers["Disposition-Notification-To"] = "as2@cnsw.test";
        if (signedMdn)
        {
            headers["Disposition-Notification-Options"] = $"signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, {micalg}";
        }
        if (asyncUrl is not null)
        {
            headers["Receipt-Delivery-Option"] = asyncUrl;
        }
        return new As2Request(headers, new MemoryStream(body), body.Length);
    }

    /// <summary>The MDN in a response, read back (its signature checked against the hub's certificate).</summary>
    public static As2MdnReport ReadMdn(As2Response response)
    {
        var top = RawMimeEntity.FromHeadersAndBody(response.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)), response.Body);
        return As2Mdn.Read(top, [As2TestEnvironment.Hub.Certificate]);
    }

    public static string Mic(byte[] content, HashAlgorithmName digest) => Convert.ToBase64String(As2Algorithms.Hash(digest, content));
}
