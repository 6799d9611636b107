using System.Security.Cryptography;

namespace CrossBorderHub.Xml.Signatures;

/// <summary>
/// Teaches SignedXml the XML-DSig ECDSA-SHA256 algorithm (RFC 4051), which .NET does not ship. The XML-DSig
/// signature value is r||s (IEEE P1363), exactly what <see cref="ECDsa.SignHash(byte[])"/> produces by default.
/// </summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    public const string Algorithm = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    private static int _registered;

    public EcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    /// <summary>Registers the algorithm with CryptoConfig once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), Algorithm);
        }
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter((ECDsa)key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter((ECDsa)key);

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;

        public override void SetHashAlgorithm(string strName)
        {
            // SHA-256 is fixed by the algorithm URI.
        }

        public override byte[] CreateSignature(byte[] rgbHash) => _key.SignHash(rgbHash);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;

        public override void SetHashAlgorithm(string strName)
        {
            // SHA-256 is fixed by the algorithm URI.
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) => _key.VerifyHash(rgbHash, rgbSignature);
    }
}
