using System.Xml;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Sbdh;
using CrossBorderHub.Xml.Signatures;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Route steps "sign:document" (enveloped XML-DSig on the XML document itself; a non-XML payload falls back to
/// the envelope) and "sign:envelope" (wrap any payload in a UN/CEFACT SBDH and sign the envelope), with the hub's
/// certificate. A document that arrives signed by the partner loses that signature when the hub re-signs it with
/// "sign:document": the hub verified it on receipt and vouches for it; receivers trust the hub's certificate.
/// Use "sign:envelope" to keep the partner's signature intact inside the envelope.
/// </summary>
public sealed class XmlSigningTransformer(HubCertificate certificate, TimeProvider time, ILogger<XmlSigningTransformer> logger) : IPayloadTransformer
{
    public const string DocumentStep = "sign:document";
    public const string EnvelopeStep = "sign:envelope";

    public bool Handles(string step) => step is DocumentStep or EnvelopeStep;

    public async Task TransformAsync(TransformContext context, Stream input, Stream output, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken);
        var payload = buffer.ToArray();
        var limits = context.Hub.Processing.Xml;
        XmlDocument result;
        if (context.Step == DocumentStep && SbdhEnvelope.LooksLikeXml(payload))
        {
            // The streaming path keeps every byte and needs no DOM; it declines documents that are already signed.
            if (StreamingSignatures.TrySign(payload, certificate.Certificate, limits) is { } fast)
            {
                await output.WriteAsync(fast, cancellationToken);
                return;
            }
            result = SafeXml.Load(new MemoryStream(payload, writable: false), limits);
            XmlSignatures.RemoveEnvelopedSignatures(result);
            XmlSignatures.Sign(result, certificate.Certificate);
        }
        else
        {
            if (context.Step == DocumentStep)
            {
                logger.LogInformation("Message {MessageId} is not XML: signing it inside an SBDH envelope instead", context.Message.Id);
            }
            var header = new SbdhHeader(
                context.Hub.Identity.EdifactId,
                context.Destination.Identifiers.FirstOrDefault() ?? context.DestinationPartner,
                context.Message.DocumentType ?? "",
                context.Message.Id,
                time.GetUtcNow(),
                StandardOf(payload, context.Message.Format.ToString()));
            result = SbdhEnvelope.Wrap(payload, header, limits: limits);
            XmlSignatures.Sign(result, certificate.Certificate);
        }
        var signed = XmlSignatures.Serialize(result);
        await output.WriteAsync(signed, cancellationToken);
    }

    /// <summary>
    /// The SBDH "Standard" of the payload: for XML, its root namespace (as SBDH profiles such as PEPPOL use it), so an
    /// EDIFACT CUSDEC mapped to WCO XML is announced as urn:wco:datamodel:WCO:DEC-DMS:2, not as EDIFACT.
    /// </summary>
    private static string StandardOf(byte[] payload, string fallback)
    {
        if (!SbdhEnvelope.LooksLikeXml(payload))
        {
            return fallback;
        }
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(payload, writable: false), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return reader.MoveToContent() == XmlNodeType.Element && reader.NamespaceURI.Length > 0 ? reader.NamespaceURI : fallback;
        }
        catch (XmlException)
        {
            return fallback;
        }
    }
}
