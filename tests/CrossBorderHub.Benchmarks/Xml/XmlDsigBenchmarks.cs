using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Benchmarks.Xml;

/// <summary>
/// XML-DSig sign and verify in-process, streaming fast path beside the DOM (SignedXml) path, on a 10 KB and a
/// 10 MB document. The comparison with xmlsec1 on the same files is tests/CrossBorderHub.Benchmarks/run-xmlsec.sh.
/// </summary>
[MemoryDiagnoser]
public class XmlDsigBenchmarks
{
    private byte[] _document = [];
    private byte[] _signed = [];
    private X509Certificate2 _certificate = null!;
    private X509Certificate2[] _trusted = [];

    [Params(10 * 1024, 10 * 1024 * 1024)]
    public int Size { get; set; }

    [Params("rsa", "ecdsa")]
    public string Key { get; set; } = "rsa";

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder(Size + 1024).Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<c:Certificate xmlns:c=\"urn:example:bench\">\n");
        for (var i = 0; builder.Length < Size; i++)
        {
            builder.Append("  <c:Item n=\"").Append(i).Append("\"><c:Description>Fresh longan, grade A, cartons of 10 kg</c:Description><c:Hs>0810.90</c:Hs><c:Weight unit=\"KGM\">1200.5</c:Weight></c:Item>\n");
        }
        _document = Encoding.UTF8.GetBytes(builder.Append("</c:Certificate>\n").ToString());
        CertificateRequest request;
        if (Key == "ecdsa")
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest("CN=bench", ecdsa, HashAlgorithmName.SHA256);
            _certificate = X509CertificateLoader.LoadPkcs12(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)).Export(X509ContentType.Pkcs12), null);
        }
        else
        {
            using var rsa = RSA.Create(2048);
            request = new CertificateRequest("CN=bench", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            _certificate = X509CertificateLoader.LoadPkcs12(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)).Export(X509ContentType.Pkcs12), null);
        }
        _trusted = [X509CertificateLoader.LoadCertificate(_certificate.RawData)];
        _signed = StreamingSignatures.Sign(_document, _certificate);
    }

    [Benchmark]
    public byte[] SignStreaming() => StreamingSignatures.Sign(_document, _certificate);

    [Benchmark]
    public bool VerifyStreaming() => StreamingSignatures.Verify(_signed, _trusted, DateTimeOffset.UtcNow).Valid;

    [Benchmark]
    public byte[] SignDom()
    {
        var document = SafeXml.Load(new MemoryStream(_document));
        XmlSignatures.Sign(document, _certificate);
        return XmlSignatures.Serialize(document);
    }

    [Benchmark]
    public bool VerifyDom() => XmlSignatures.Verify(SafeXml.Load(new MemoryStream(_signed)), _trusted, DateTimeOffset.UtcNow).Valid;
}
