using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace CrossBorderHub.Xml.Signatures;

/// <summary>The outcome of verifying a document's signature. Expected failures are values, not exceptions.</summary>
public sealed record SignatureVerification(bool Present, bool Valid, string Code, string Reason, X509Certificate2? SignedBy = null)
{
    public static SignatureVerification Unsigned { get; } = new(false, false, "XMLDSIG-UNSIGNED", "the document carries no XML signature");

    public static SignatureVerification Fail(string code, string reason) => new(true, false, code, reason);

    public override string ToString() => Valid ? $"valid signature by {SignedBy?.Subject}" : $"{Code}: {Reason}";
}

/// <summary>
/// Enveloped XML-DSig: RSA-SHA256 or ECDSA-SHA256, exclusive canonicalization, SHA-256 digest, KeyInfo with the
/// X.509 certificate. Verification trusts only pinned certificates and refuses every shape that signature-wrapping
/// attacks rely on: more than one signature, a signature not directly under the document element, several
/// references, a reference to anything but the whole document, any transform but enveloped + exc-c14n.
/// </summary>
public static class XmlSignatures
{
    public const string DsigNamespace = SignedXml.XmlDsigNamespaceUrl;
    public const string RsaSha256 = SignedXml.XmlDsigRSASHA256Url;
    public const string EcdsaSha256 = EcdsaSha256SignatureDescription.Algorithm;

    private static readonly HashSet<string> AllowedTransforms = [SignedXml.XmlDsigEnvelopedSignatureTransformUrl, SignedXml.XmlDsigExcC14NTransformUrl];

    static XmlSignatures() => EcdsaSha256SignatureDescription.Register();

    /// <summary>Signs <paramref name="document"/> in place: the Signature becomes the last child of the document element.</summary>
    public static void Sign(XmlDocument document, X509Certificate2 certificate)
    {
        var root = document.DocumentElement ?? throw new ArgumentException("the document has no root element", nameof(document));
        var (key, method) = SigningKey(certificate);
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = method;
        var reference = new Reference("") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        root.AppendChild(document.ImportNode(signed.GetXml(), deep: true));
    }

    /// <summary>UTF-8 without BOM, whitespace exactly as signed.</summary>
    public static byte[] Serialize(XmlDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            document.Save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Removes the signatures directly under the document element, so the document can be signed anew.</summary>
    public static void RemoveEnvelopedSignatures(XmlDocument document)
    {
        var root = document.DocumentElement ?? throw new ArgumentException("the document has no root element", nameof(document));
        foreach (var signature in root.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Signature" && e.NamespaceURI == DsigNamespace).ToList())
        {
            root.RemoveChild(signature);
        }
    }

    private static (AsymmetricAlgorithm Key, string Method) SigningKey(X509Certificate2 certificate)
    {
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            return (rsa, RsaSha256);
        }
        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            return (ecdsa, EcdsaSha256);
        }
        throw new CryptographicException($"certificate '{certificate.Subject}' has no RSA or ECDSA private key: XML-DSig signing needs one");
    }

    /// <summary>
    /// Verifies the document's one enveloped signature against the pinned <paramref name="trusted"/> certificates.
    /// A trusted certificate outside its validity at <paramref name="now"/> does not count.
    /// </summary>
    /// <param name="allowSignedPayload">
    /// True for an SBDH envelope: the payload may carry its own signature (checked separately); the envelope's own
    /// signature must still be the one directly under the document element.
    /// </param>
    public static SignatureVerification Verify(XmlDocument document, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, bool allowSignedPayload = false)
    {
        var root = document.DocumentElement;
        if (root is null)
        {
            return SignatureVerification.Fail("XMLDSIG-STRUCTURE", "the document has no root element");
        }
        var signatures = document.GetElementsByTagName("Signature", DsigNamespace);
        if (signatures.Count == 0)
        {
            return SignatureVerification.Unsigned;
        }
        var direct = signatures.OfType<XmlElement>().Where(s => s.ParentNode == root).ToList();
        if (allowSignedPayload ? direct.Count > 1 : signatures.Count > 1)
        {
            return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the document carries {signatures.Count} signatures; exactly one, directly under the document element, is accepted");
        }
        var signature = direct.Count == 1 ? direct[0] : (XmlElement)signatures[0]!;
        if (signature.ParentNode != root)
        {
            return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the signature is under <{signature.ParentNode?.Name}>, not directly under the document element <{root.Name}>");
        }
        var signed = new SignedXml(document);
        try
        {
            signed.LoadXml(signature);
        }
        catch (CryptographicException ex)
        {
            return SignatureVerification.Fail("XMLDSIG-STRUCTURE", $"the signature element is malformed: {ex.Message}");
        }
        var rootId = root.GetAttribute("Id") is { Length: > 0 } a ? a : root.GetAttribute("ID") is { Length: > 0 } b ? b : root.GetAttribute("id");
        var shape = CheckShape(signed, root.Name, rootId);
        if (shape is not null)
        {
            return shape;
        }
        return Decide(signed, trusted, now, signed.CheckSignature);
    }

    /// <summary>
    /// Tries the pinned certificates (the one the document names first) with <paramref name="check"/>; a match
    /// outside its validity period is reported as expired, a document naming an unpinned certificate as untrusted.
    /// </summary>
    internal static SignatureVerification Decide(SignedXml signed, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, Func<AsymmetricAlgorithm, bool> check)
    {
        var embedded = EmbeddedCertificates(signed);
        var candidates = trusted.OrderByDescending(t => embedded.Contains(Sha256Thumbprint(t))).ToList();
        if (candidates.Count == 0)
        {
            return SignatureVerification.Fail("XMLDSIG-NO-TRUST", "no trusted certificate is configured for this sender: pin the partner's certificate");
        }
        X509Certificate2? expiredMatch = null;
        foreach (var certificate in candidates)
        {
            using var key = (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey();
            if (key is null || !KeyFits(key, signed.SignatureMethod))
            {
                continue;
            }
            bool valid;
            try
            {
                valid = check(key);
            }
            catch (CryptographicException ex)
            {
                return SignatureVerification.Fail("XMLDSIG-STRUCTURE", $"the signature cannot be checked: {ex.Message}");
            }
            if (!valid)
            {
                continue;
            }
            var instant = now.UtcDateTime;
            if (instant > certificate.NotAfter.ToUniversalTime() || instant < certificate.NotBefore.ToUniversalTime())
            {
                expiredMatch = certificate;
                continue;
            }
            return new SignatureVerification(true, true, "XMLDSIG-VALID", $"signed by '{certificate.Subject}' (sha256 {Sha256Thumbprint(certificate)[..16]}...)", certificate);
        }
        if (expiredMatch is not null)
        {
            return SignatureVerification.Fail("XMLDSIG-CERT-EXPIRED", $"the signing certificate '{expiredMatch.Subject}' is valid only from {expiredMatch.NotBefore.ToUniversalTime():yyyy-MM-dd} to {expiredMatch.NotAfter.ToUniversalTime():yyyy-MM-dd}: the partner must sign with a current certificate");
        }
        return embedded.Count > 0 && !trusted.Any(t => embedded.Contains(Sha256Thumbprint(t)))
            ? SignatureVerification.Fail("XMLDSIG-UNTRUSTED", "the signature does not verify with any trusted certificate (the document names a certificate that is not pinned for this sender): wrong key, or pin the partner's new certificate")
            : SignatureVerification.Fail("XMLDSIG-INVALID", "the signature does not verify with the trusted certificate: the content was changed after signing, or it was signed with another key");
    }

    /// <summary>The wrapping defences: one reference, to the processed element, with only the expected transforms.</summary>
    internal static SignatureVerification? CheckShape(SignedXml signed, string rootName, string? rootId)
    {
        var info = signed.SignedInfo!;
        if (info.CanonicalizationMethod != SignedXml.XmlDsigExcC14NTransformUrl)
        {
            return SignatureVerification.Fail("XMLDSIG-ALGORITHM", $"canonicalization '{info.CanonicalizationMethod}' is not accepted: use exclusive c14n ({SignedXml.XmlDsigExcC14NTransformUrl})");
        }
        if (info.SignatureMethod is not (RsaSha256 or EcdsaSha256))
        {
            return SignatureVerification.Fail("XMLDSIG-ALGORITHM", $"signature method '{info.SignatureMethod}' is not accepted: use RSA-SHA256 or ECDSA-SHA256");
        }
        if (info.References.Count != 1)
        {
            return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the signature has {info.References.Count} references; exactly one, to the whole document, is accepted");
        }
        var reference = (Reference)info.References[0]!;
        var uri = reference.Uri ?? "";
        if (uri.Length > 0)
        {
            var id = uri.StartsWith('#') ? uri[1..] : null;
            if (id is null || string.IsNullOrEmpty(rootId) || id != rootId)
            {
                return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the reference URI '{uri}' does not point at the document element <{rootName}>: the signed content is not what is processed");
            }
        }
        if (reference.DigestMethod != SignedXml.XmlDsigSHA256Url)
        {
            return SignatureVerification.Fail("XMLDSIG-ALGORITHM", $"digest method '{reference.DigestMethod}' is not accepted: use SHA-256");
        }
        var enveloped = false;
        for (var i = 0; i < reference.TransformChain.Count; i++)
        {
            var algorithm = reference.TransformChain[i].Algorithm ?? "";
            if (!AllowedTransforms.Contains(algorithm))
            {
                return SignatureVerification.Fail("XMLDSIG-TRANSFORM", $"transform '{algorithm}' is not accepted: only enveloped-signature and exclusive c14n");
            }
            enveloped |= algorithm == SignedXml.XmlDsigEnvelopedSignatureTransformUrl;
        }
        if (!enveloped)
        {
            return SignatureVerification.Fail("XMLDSIG-TRANSFORM", "the reference lacks the enveloped-signature transform, so it cannot cover the document that holds it");
        }
        return null;
    }

    private static HashSet<string> EmbeddedCertificates(SignedXml signed)
    {
        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        if (signed.KeyInfo is null)
        {
            return thumbprints;
        }
        foreach (var clause in signed.KeyInfo.OfType<KeyInfoX509Data>())
        {
            foreach (var certificate in clause.Certificates?.OfType<X509Certificate2>() ?? [])
            {
                thumbprints.Add(Sha256Thumbprint(certificate));
            }
        }
        return thumbprints;
    }

    /// <summary>Lower-case hex SHA-256 of the DER certificate: what pinning compares (as the hub's certificate files do).</summary>
    internal static string Sha256Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private static bool KeyFits(AsymmetricAlgorithm key, string? method) =>
        (key, method) is (RSA, RsaSha256) or (ECDsa, EcdsaSha256);
}
