using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace CrossBorderHub.Xml.Signatures;

/// <summary>
/// The fast path of <see cref="XmlSignatures"/> for documents as bytes: the reference digest is computed by
/// streaming exclusive c14n into SHA-256 (no DOM), signing splices the Signature element in before the root's end
/// tag, leaving every other byte as it was. Anything unusual (another encoding, content after the root, an
/// existing signature, a digest that does not match) goes to the DOM implementation, which has the last word.
/// </summary>
public static partial class StreamingSignatures
{
    private const string ExcC14n = SignedXml.XmlDsigExcC14NTransformUrl;

    /// <summary>Signs UTF-8 XML bytes; returns null when the document needs the DOM path (see class summary).</summary>
    public static byte[]? TrySign(byte[] xml, X509Certificate2 certificate, XmlLimits? limits = null)
    {
        var insertAt = RootEndTagOffset(xml);
        if (insertAt < 0 || xml.AsSpan().IndexOf(Encoding.ASCII.GetBytes(XmlSignatures.DsigNamespace)) >= 0)
        {
            return null;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ExclusiveCanonicalizer.Result result;
        using (var reader = SafeXml.CreateReader(new MemoryStream(xml, writable: false), limits))
        {
            try
            {
                result = ExclusiveCanonicalizer.Canonicalize(reader, hash.AppendData);
            }
            catch (XmlException ex)
            {
                throw SafeXml.Translate(ex, reader, limits);
            }
        }
        if (!xml.AsSpan(insertAt).StartsWith(Encoding.UTF8.GetBytes("</" + result.RootName)))
        {
            return null;
        }
        var (method, sign) = Signer(certificate);
        var signedInfo =
            $"<SignedInfo xmlns=\"{XmlSignatures.DsigNamespace}\"><CanonicalizationMethod Algorithm=\"{ExcC14n}\"></CanonicalizationMethod>" +
            $"<SignatureMethod Algorithm=\"{method}\"></SignatureMethod><Reference URI=\"\"><Transforms>" +
            $"<Transform Algorithm=\"{SignedXml.XmlDsigEnvelopedSignatureTransformUrl}\"></Transform><Transform Algorithm=\"{ExcC14n}\"></Transform></Transforms>" +
            $"<DigestMethod Algorithm=\"{SignedXml.XmlDsigSHA256Url}\"></DigestMethod><DigestValue>{Convert.ToBase64String(hash.GetHashAndReset())}</DigestValue></Reference></SignedInfo>";
        // Written in canonical form already (no whitespace, attributes in order, end tags), so it is what is signed.
        var signatureValue = Convert.ToBase64String(sign(Encoding.UTF8.GetBytes(signedInfo)));
        var signature =
            $"<Signature xmlns=\"{XmlSignatures.DsigNamespace}\">{signedInfo.Replace($" xmlns=\"{XmlSignatures.DsigNamespace}\"", "", StringComparison.Ordinal)}" +
            $"<SignatureValue>{signatureValue}</SignatureValue><KeyInfo><X509Data><X509Certificate>{Convert.ToBase64String(certificate.RawData)}</X509Certificate></X509Data></KeyInfo></Signature>";
        var inserted = Encoding.UTF8.GetBytes(signature);
        var output = new byte[xml.Length + inserted.Length];
        xml.AsSpan(0, insertAt).CopyTo(output);
        inserted.CopyTo(output.AsSpan(insertAt));
        xml.AsSpan(insertAt).CopyTo(output.AsSpan(insertAt + inserted.Length));
        return output;
    }

    /// <summary>Signs XML bytes, by the fast path when it applies, by the DOM otherwise.</summary>
    public static byte[] Sign(byte[] xml, X509Certificate2 certificate, XmlLimits? limits = null)
    {
        var fast = TrySign(xml, certificate, limits);
        if (fast is not null)
        {
            return fast;
        }
        var document = SafeXml.Load(new MemoryStream(xml, writable: false), limits);
        XmlSignatures.Sign(document, certificate);
        return XmlSignatures.Serialize(document);
    }

    /// <summary>Verifies XML bytes against pinned certificates: same rules and codes as <see cref="XmlSignatures.Verify"/>.</summary>
    public static SignatureVerification Verify(byte[] xml, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, bool allowSignedPayload = false, XmlLimits? limits = null) =>
        Verify(() => new MemoryStream(xml, writable: false), trusted, now, allowSignedPayload, limits);

    /// <summary>
    /// Verifies a document read from <paramref name="open"/> (a file, a blob) without holding it in memory: the digest
    /// streams; only the rare DOM fallback loads it, and it opens the stream a second time.
    /// </summary>
    public static SignatureVerification Verify(Func<Stream> open, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, bool allowSignedPayload = false, XmlLimits? limits = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var enveloped = new List<XmlElement>();
        ExclusiveCanonicalizer.Result result;
        using (var input = open())
        using (var reader = SafeXml.CreateReader(input, limits))
        {
            try
            {
                result = ExclusiveCanonicalizer.Canonicalize(reader, hash.AppendData, onSkippable: r =>
                {
                    if (r.LocalName != "Signature" || r.NamespaceURI != XmlSignatures.DsigNamespace)
                    {
                        return false;
                    }
                    var holder = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
                    using (var subtree = r.ReadSubtree())
                    {
                        holder.Load(subtree);
                    }
                    enveloped.Add(holder.DocumentElement!);
                    return true;
                });
            }
            catch (XmlException ex)
            {
                throw SafeXml.Translate(ex, reader, limits);
            }
        }
        var digest = hash.GetHashAndReset();
        if (enveloped.Count == 0 && result.Signatures == 0)
        {
            return SignatureVerification.Unsigned;
        }
        if (enveloped.Count == 0)
        {
            return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the signature is not directly under the document element <{result.RootName}>");
        }
        if (enveloped.Count > 1 || (!allowSignedPayload && result.Signatures > 0))
        {
            return SignatureVerification.Fail("XMLDSIG-WRAPPING", $"the document carries {enveloped.Count + result.Signatures} signatures; exactly one, directly under the document element, is accepted");
        }
        var signed = new SignedXml(enveloped[0].OwnerDocument);
        try
        {
            signed.LoadXml(enveloped[0]);
        }
        catch (CryptographicException ex)
        {
            return SignatureVerification.Fail("XMLDSIG-STRUCTURE", $"the signature element is malformed: {ex.Message}");
        }
        var shape = XmlSignatures.CheckShape(signed, result.RootName, result.RootId);
        if (shape is not null)
        {
            return shape;
        }
        var reference = (Reference)signed.SignedInfo!.References[0]!;
        var wholeDocument = string.IsNullOrEmpty(reference.Uri);
        if ((!wholeDocument && result.OutsideInstructions) || !digest.AsSpan().SequenceEqual(reference.DigestValue) || HasInclusivePrefixes(enveloped[0]))
        {
            // Not the common case, or content changed: let the DOM implementation decide (and explain).
            using var again = open();
            return XmlSignatures.Verify(SafeXml.Load(again, limits), trusted, now, allowSignedPayload);
        }
        var signedInfo = (XmlElement)enveloped[0].GetElementsByTagName("SignedInfo", XmlSignatures.DsigNamespace)[0]!;
        using var canonical = new MemoryStream();
        using (var reader = new XmlNodeReader(signedInfo))
        {
            ExclusiveCanonicalizer.Canonicalize(reader, bytes => canonical.Write(bytes));
        }
        var signedBytes = canonical.ToArray();
        var signatureValue = signed.SignatureValue ?? [];
        return XmlSignatures.Decide(signed, trusted, now, key => key switch
        {
            RSA rsa => rsa.VerifyData(signedBytes, signatureValue, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.VerifyData(signedBytes, signatureValue, HashAlgorithmName.SHA256),
            _ => false,
        });
    }

    private static bool HasInclusivePrefixes(XmlElement signature) =>
        signature.GetElementsByTagName("InclusiveNamespaces", ExcC14n).Count > 0;

    private static (string Method, Func<byte[], byte[]> Sign) Signer(X509Certificate2 certificate)
    {
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            return (XmlSignatures.RsaSha256, data => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            // IEEE P1363 (r||s) is the default format, which is what XML-DSig wants.
            return (XmlSignatures.EcdsaSha256, data => ecdsa.SignData(data, HashAlgorithmName.SHA256));
        }
        throw new CryptographicException($"certificate '{certificate.Subject}' has no RSA or ECDSA private key: XML-DSig signing needs one");
    }

    /// <summary>Offset of the root's end tag when the document is UTF-8 and nothing but whitespace follows it; -1 otherwise.</summary>
    private static int RootEndTagOffset(byte[] xml)
    {
        var span = xml.AsSpan();
        if (span.Length >= 2 && (span[0] == 0xFF || span[0] == 0xFE || span[0] == 0))
        {
            return -1;
        }
        var head = Encoding.ASCII.GetString(span[..Math.Min(span.Length, 200)]);
        var declared = EncodingDeclaration().Match(head);
        if (declared.Success && !declared.Groups[1].Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }
        var end = span.TrimEnd(" \t\r\n"u8);
        if (end.Length == 0 || end[^1] != (byte)'>' || end.EndsWith("/>"u8) || end.EndsWith("-->"u8) || end.EndsWith("?>"u8) || end.EndsWith("]]>"u8))
        {
            return -1;
        }
        var open = end.LastIndexOf((byte)'<');
        return open >= 0 && open + 1 < end.Length && end[open + 1] == (byte)'/' ? open : -1;
    }

    [GeneratedRegex("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([^\"']+)[\"']")]
    private static partial Regex EncodingDeclaration();
}
