using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Fuzz.Targets;

/// <summary>
/// The AS2 MIME parser and MDN reader: the input is a whole MIME entity (headers, blank line, body) as an AS2
/// request or a synchronous/asynchronous MDN brings it. Every part is parsed and decoded, then read as an MDN.
/// </summary>
public sealed class As2MimeTarget : IFuzzTarget
{
    /// <summary>Deeper nesting than any AS2 structure has (signed, compressed, report: three levels).</summary>
    private const int MaxDepth = 8;

    public string Name => "as2";

    // What As2Receiver and As2OutboundChannel catch around RawMimeEntity and As2Mdn.Read (answered 400/403, or RetryLater).
    public string ExpectedExceptions => "FormatException (not MIME, no MDN, bad base64), As2SecurityException (signature not from a pinned certificate)";

    public void Run(byte[] input)
    {
        var top = RawMimeEntity.Parse(input);
        Walk(top, 0);
        As2Mdn.Read(top, []);
    }

    private static void Walk(RawMimeEntity entity, int depth)
    {
        entity.DecodedBody();
        if (depth < MaxDepth && entity.MediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            foreach (var part in entity.Parts())
            {
                Walk(part, depth + 1);
            }
        }
    }

    public bool IsExpected(Exception exception) => exception is FormatException or As2SecurityException;

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var mic = As2MimeBuilder.Mic("payload"u8, HashAlgorithmName.SHA256);
        yield return ("mdn-processed.mime", As2Mdn.Build("XBHUB", "<1@partner>", mic, null, "received", null, HashAlgorithmName.SHA256, now).ToEntity());
        yield return ("mdn-error.mime", As2Mdn.Build("XBHUB", "<2@partner>", null, "decryption-failed", "could not decrypt", null, HashAlgorithmName.SHA256, now).ToEntity());
        using (var signer = SelfSigned())
        {
            yield return ("mdn-signed.mime", As2Mdn.Build("XBHUB", "<3@partner>", mic, null, "received", signer, HashAlgorithmName.SHA256, now).ToEntity());
        }
        // Payload entities as AS2 carries them: one EDIFACT and one XML sample, plain and base64, and compressed.
        var edifact = FuzzRepo.SampleFiles(Path.Combine("messages", "edifact"), "cusdec-d96b-una-syntax3.edi").First().Bytes;
        var xml = FuzzRepo.SampleFiles(Path.Combine("messages", "xml"), "wco-response-valid.xml").First().Bytes;
        var payload = As2MimeBuilder.PayloadEntity("application/edifact", "cusdec.edi", edifact);
        yield return ("payload-edifact.mime", payload);
        yield return ("payload-xml.mime", As2MimeBuilder.PayloadEntity("application/xml", "response.xml", xml));
        yield return ("payload-base64.mime", Encoding.ASCII.GetBytes(
            $"Content-Type: application/edifact\r\nContent-Transfer-Encoding: base64\r\n\r\n{Convert.ToBase64String(edifact, Base64FormattingOptions.InsertLineBreaks)}\r\n"));
        yield return ("payload-compressed.mime", As2MimeBuilder.Compress(payload).ToEntity("binary"));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fuzz seed signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
