using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// AES-GCM content decryption, which EnvelopedCms does not do. Two shapes exist in the wild: RFC 5083
/// AuthEnvelopedData (openssl cms -aes-128-gcm; tag in the mac field) and EnvelopedData whose content algorithm is
/// AES-GCM with the tag appended to the ciphertext (PKI.js, hence libas2). The key is RSA key transport
/// (PKCS#1 v1.5 or OAEP) to the hub's certificate.
/// </summary>
internal static class As2GcmDecryptor
{
    private const string EnvelopedDataOid = "1.2.840.113549.1.7.3";
    private const string AuthEnvelopedDataOid = "1.2.840.113549.1.9.16.1.23";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string OaepOid = "1.2.840.113549.1.1.7";

    public static bool TryDecrypt(byte[] der, X509Certificate2 hubCertificate, out byte[] plain)
    {
        plain = [];
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        var contentInfo = reader.ReadSequence();
        var type = contentInfo.ReadObjectIdentifier();
        if (type != EnvelopedDataOid && type != AuthEnvelopedDataOid)
        {
            throw new FormatException($"content type {type} is neither EnvelopedData nor AuthEnvelopedData");
        }
        var data = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
        data.ReadInteger();
        if (data.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            data.ReadEncodedValue(); // originatorInfo: not needed for key transport
        }
        var recipients = data.ReadSetOf();
        var encryptedContentInfo = data.ReadSequence();
        encryptedContentInfo.ReadObjectIdentifier();
        var algorithm = encryptedContentInfo.ReadSequence();
        var algorithmOid = algorithm.ReadObjectIdentifier();
        if (!As2Algorithms.IsGcm(algorithmOid))
        {
            if (type == AuthEnvelopedDataOid)
            {
                throw new CryptographicException($"AuthEnvelopedData with unsupported algorithm {algorithmOid}");
            }
            return false; // a CBC EnvelopedData: EnvelopedCms does it
        }
        byte[] nonce;
        int tagLength;
        if (algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
        {
            // PKI.js writes the bare nonce instead of GCMParameters, with WebCrypto's 16-byte tag.
            nonce = algorithm.ReadOctetString();
            tagLength = 16;
        }
        else
        {
            var gcmParameters = algorithm.ReadSequence();
            nonce = gcmParameters.ReadOctetString();
            tagLength = gcmParameters.HasData ? (int)gcmParameters.ReadInteger() : 12;
        }
        var ciphertext = encryptedContentInfo.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        byte[] tag;
        byte[] associatedData = [];
        if (type == AuthEnvelopedDataOid)
        {
            if (data.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            {
                // RFC 5083: the authenticated attributes are authenticated as their DER SET OF encoding.
                var encoded = data.ReadEncodedValue().ToArray();
                encoded[0] = 0x31;
                associatedData = encoded;
            }
            tag = data.ReadOctetString();
        }
        else
        {
            tag = ciphertext[^tagLength..];
            ciphertext = ciphertext[..^tagLength];
        }
        var key = DecryptContentKey(recipients, hubCertificate);
        if (nonce.Length == 12 && tag.Length is >= 12 and <= 16)
        {
            plain = new byte[ciphertext.Length];
            using var gcm = new AesGcm(key, tag.Length);
            gcm.Decrypt(nonce, ciphertext, tag, plain, associatedData);
        }
        else
        {
            plain = GcmAnyNonce.Decrypt(key, nonce, ciphertext, tag, associatedData);
        }
        return true;
    }

    internal static byte[] DecryptContentKey(AsnReader recipients, X509Certificate2 hubCertificate)
    {
        using var rsa = hubCertificate.GetRSAPrivateKey() ?? throw new CryptographicException("the hub certificate has no RSA private key");
        CryptographicException? last = null;
        while (recipients.HasData)
        {
            var recipient = recipients.ReadSequence();
            recipient.ReadInteger();
            recipient.ReadEncodedValue(); // rid: we simply try our key
            var keyAlgorithm = recipient.ReadSequence();
            var keyAlgorithmOid = keyAlgorithm.ReadObjectIdentifier();
            var padding = keyAlgorithmOid switch
            {
                RsaOid => RSAEncryptionPadding.Pkcs1,
                OaepOid => OaepPadding(keyAlgorithm),
                _ => null,
            };
            var encryptedKey = recipient.ReadOctetString();
            if (padding is null)
            {
                continue;
            }
            try
            {
                return rsa.Decrypt(encryptedKey, padding);
            }
            catch (CryptographicException ex)
            {
                last = ex;
            }
        }
        throw last ?? new CryptographicException("no key-transport recipient for the hub's RSA key");
    }

    private static RSAEncryptionPadding OaepPadding(AsnReader algorithm)
    {
        if (!algorithm.HasData || algorithm.PeekTag().TagValue == (int)UniversalTagNumber.Null)
        {
            return RSAEncryptionPadding.OaepSHA1;
        }
        var parameters = algorithm.ReadSequence();
        if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var hash = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
            return As2Algorithms.DigestFromOid(hash) switch
            {
                { Name: "SHA256" } => RSAEncryptionPadding.OaepSHA256,
                { Name: "SHA384" } => RSAEncryptionPadding.OaepSHA384,
                { Name: "SHA512" } => RSAEncryptionPadding.OaepSHA512,
                _ => RSAEncryptionPadding.OaepSHA1,
            };
        }
        return RSAEncryptionPadding.OaepSHA1;
    }
}
