using System.Xml;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Sbdh;
using CrossBorderHub.Xml.Schemas;
using CrossBorderHub.Xml.Signatures;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Identifies and grades XML documents: schema packs (SEVERE = Error), business rules (WARNING), INFO; then the
/// sending partner's signature policy (pinned certificates, rollover, expiry, wrapping defences); SBDH envelopes
/// are verified and their payload identified. Works standalone for `hub validate` (no partner: signatures are
/// reported, not checked). Cheap to construct: schema packs are compiled once per schemas folder and process.
/// </summary>
public sealed class XmlInspector(HubOptions hub, TimeProvider time, ILogger<XmlInspector> logger, CertificatePins? pins = null) : IDocumentInspector
{
    private readonly XmlLimits _limits = hub.Processing.Xml ?? XmlLimits.Default;

    public DocumentFormat Format => DocumentFormat.Xml;

    // Resolved like every shipped folder, so `hub validate` works from any sub-folder of the installation.
    private SchemaCatalog Catalog => SchemaCatalog.For(Path.Combine(HubPaths.ResolveShipped(hub.Processing.SchemasPath), "xsd"));

    public bool Recognizes(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // UTF-16 with a BOM: the first character after it decides.
            var rest = head[2..];
            var index = 0;
            while (index + 1 < rest.Length && (rest[index] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0))
            {
                index++;
            }
            return index < rest.Length && rest[index] == (byte)'<';
        }
        return SbdhEnvelope.LooksLikeXml(head);
    }

    public Task<Inspection> InspectAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // CPU-bound and synchronous (XmlReader over a local blob): no thread hop needed.
        return Task.FromResult(Inspect(request, cancellationToken));
    }

    private Inspection Inspect(InspectionRequest request, CancellationToken cancellationToken)
    {
        var graded = new List<GradeFinding>();
        var grade = XmlGrader.Grade(request.OpenContent, Catalog, time, _limits, graded, cancellationToken);
        var findings = graded.Select(f => ToFinding(f)).ToList();
        var identity = ToIdentity(grade.Identity);
        if (!grade.WellFormed)
        {
            return new Inspection(identity, findings);
        }
        if (grade.RootName is not null && SbdhEnvelope.IsEnvelope(grade.RootNamespace!, grade.RootName))
        {
            return InspectEnvelope(request, findings, cancellationToken);
        }
        DocumentSignature? signature = null;
        if (grade.Pack is not null)
        {
            signature = CheckSignature(request, null, grade.Signed, grade.SignatureLocation, envelope: false, findings);
        }
        return new Inspection(identity, findings) { Documents = WithSignature(XmlDocumentIdentity.From(identity, grade.Identity), signature) };
    }

    private Inspection InspectEnvelope(InspectionRequest request, List<Finding> findings, CancellationToken cancellationToken)
    {
        var identity = new DocumentIdentity { Format = DocumentFormat.Xml, DocumentType = "StandardBusinessDocument" };
        XmlDocument envelope;
        try
        {
            using var stream = request.OpenContent();
            envelope = SafeXml.Load(stream, _limits);
        }
        catch (UnsafeXmlException ex)
        {
            findings.Add(new Finding(FindingSeverity.Error, ex.Code, ex.Message, ex.Location));
            return new Inspection(identity, findings);
        }
        var signed = envelope.GetElementsByTagName("Signature", XmlSignatures.DsigNamespace).Count > 0;
        var signature = CheckSignature(request, envelope, signed, "1:1 /StandardBusinessDocument/Signature", envelope: true, findings);
        var content = SbdhEnvelope.Unwrap(envelope, out var problem);
        if (content is null)
        {
            findings.Add(new Finding(FindingSeverity.Error, "SBDH-INVALID", $"{problem}: send a StandardBusinessDocument with a header and one payload", "1:1 /StandardBusinessDocument"));
            return new Inspection(identity, findings);
        }
        var header = content.Header;
        identity = identity with
        {
            DocumentType = header.DocumentType,
            Sender = NullIfEmpty(header.Sender),
            Recipient = NullIfEmpty(header.Receiver),
            ControlReference = NullIfEmpty(header.InstanceIdentifier),
        };
        if (!content.PayloadIsXml)
        {
            findings.Add(new Finding(FindingSeverity.Info, "SBDH-BINARY", $"the envelope carries a {content.MimeType} payload of {content.Payload.Length:N0} bytes (base64); unwrap it with SbdhEnvelope.Unwrap", "1:1 /StandardBusinessDocument/BinaryPayload"));
            return new Inspection(identity, findings);
        }
        var inner = new List<GradeFinding>();
        var payloadGrade = XmlGrader.Grade(() => new MemoryStream(content.Payload, writable: false), Catalog, time, _limits, inner, cancellationToken);
        // Payload positions are relative to the payload as unwrapped; say so.
        findings.AddRange(inner.Select(f => ToFinding(f, "payload ")));
        var payload = payloadGrade.Identity;
        identity = identity with
        {
            DocumentType = string.IsNullOrEmpty(payload.DocumentType) ? identity.DocumentType : payload.DocumentType,
            Sender = payload.Sender ?? identity.Sender,
            Recipient = payload.Recipient ?? identity.Recipient,
            ControlReference = payload.ControlReference ?? identity.ControlReference,
            OriginCountry = payload.OriginCountry,
            DestinationCountry = payload.DestinationCountry,
            IsTest = payload.IsTest,
        };
        return new Inspection(identity, findings) { Documents = WithSignature(XmlDocumentIdentity.From(identity, payload), signature) };
    }

    private static IReadOnlyList<BusinessDocument> WithSignature(IReadOnlyList<BusinessDocument> documents, DocumentSignature? signature) =>
        signature is null ? documents : documents.Select(d => d with { Signature = signature }).ToList();

    /// <summary>Adds the findings; returns what was verified (null when unsigned or no certificate is pinned).</summary>
    private DocumentSignature? CheckSignature(InspectionRequest request, XmlDocument? loaded, bool signed, string? signatureLocation, bool envelope, List<Finding> findings)
    {
        var policy = request.SourcePartnerOptions?.Signature;
        var partner = request.SourcePartner;
        var location = signatureLocation ?? "1:1";
        if (!signed)
        {
            if (policy?.Required == true)
            {
                findings.Add(new Finding(FindingSeverity.Error, "XMLDSIG-UNSIGNED",
                    $"partner {partner} must sign its documents (Hub:Partners:{partner}:Signature:Required) and this one carries no XML signature: ask the partner to sign it", "1:1"));
            }
            return null;
        }
        // Certificates uploaded in the admin web count beside the configured files (a rollover: old and new both pinned).
        var stored = pins?.For(partner, CertificateUses.Signature) ?? [];
        if ((policy is null || policy.TrustedCertificates.Count == 0) && stored.Count == 0)
        {
            findings.Add(new Finding(FindingSeverity.Info, "XMLDSIG-NOT-CHECKED",
                $"the document is signed, but no trusted certificate is configured for the sender{(string.IsNullOrEmpty(partner) ? "" : $" {partner}")}, so the signature was not checked (set Hub:Partners:<P>:Signature:TrustedCertificates, or use hub verify --trust)", location));
            return null;
        }
        IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> trusted;
        try
        {
            trusted = [.. TrustedCertificates.Load(policy?.TrustedCertificates ?? []), .. stored];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            findings.Add(new Finding(FindingSeverity.Error, "XMLDSIG-TRUST-UNAVAILABLE",
                $"the trusted certificates of partner {partner} cannot be read ({ex.Message}): fix Hub:Partners:{partner}:Signature:TrustedCertificates", location));
            return null;
        }
        var now = time.GetUtcNow();
        foreach (var warning in policy is null ? [] : TrustedCertificates.ExpiryWarnings(partner, policy, now))
        {
            logger.LogWarning("Certificate expiry: {Warning}", warning);
            findings.Add(new Finding(FindingSeverity.Warning, "CERT-EXPIRING", warning, location));
        }
        SignatureVerification result;
        try
        {
            if (loaded is null)
            {
                // Streaming verification: no DOM unless the fast path declines.
                using var stream = request.OpenContent();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                result = StreamingSignatures.Verify(buffer.ToArray(), trusted, now, allowSignedPayload: envelope, _limits);
            }
            else
            {
                result = XmlSignatures.Verify(loaded, trusted, now, allowSignedPayload: envelope);
            }
        }
        catch (UnsafeXmlException ex)
        {
            findings.Add(new Finding(FindingSeverity.Error, ex.Code, ex.Message, ex.Location));
            return null;
        }
        findings.Add(result.Valid
            ? new Finding(FindingSeverity.Info, result.Code, result.Reason, location)
            : new Finding(FindingSeverity.Error, result.Code, $"signature from partner {partner} rejected: {result.Reason}", location));
        return result.SignedBy is { } signer
            ? new DocumentSignature(result.Valid, signer.Subject, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(signer.RawData)),
                new DateTimeOffset(signer.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero), $"{result.Code}: {result.Reason}")
            : new DocumentSignature(false, "", "", null, null, $"{result.Code}: {result.Reason}");
    }

    internal static Finding ToFinding(GradeFinding finding, string locationPrefix = "") => new(
        finding.Severity switch { GradeSeverity.Error => FindingSeverity.Error, GradeSeverity.Warning => FindingSeverity.Warning, _ => FindingSeverity.Info },
        finding.Code, finding.Message, locationPrefix + finding.Location);

    private static DocumentIdentity ToIdentity(GradedIdentity graded) => new()
    {
        Format = DocumentFormat.Xml,
        DocumentType = graded.DocumentType,
        Sender = graded.Sender,
        Recipient = graded.Recipient,
        ControlReference = graded.ControlReference,
        OriginCountry = graded.OriginCountry,
        DestinationCountry = graded.DestinationCountry,
        IsTest = graded.IsTest,
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
