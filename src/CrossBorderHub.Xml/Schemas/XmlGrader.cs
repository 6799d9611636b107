using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Schema;
using System.Xml.XPath;
using CrossBorderHub.Xml.Sbdh;

namespace CrossBorderHub.Xml.Schemas;

/// <summary>
/// Graded validation as the ePhyto hub grades it: SEVERE schema violations (Error: rejected), WARNING business
/// rules from the pack manifest (delivered with warnings), INFO. One streaming pass validates against the pack's
/// XSDs while building an XPath document (with line info) for the identity XPaths and the rules.
/// </summary>
public static partial class XmlGrader
{
    /// <summary>Beyond this many schema findings a document is garbage; listing more only costs memory.</summary>
    private const int MaxSchemaFindings = 200;

    public static GradeResult Grade(Func<Stream> open, SchemaCatalog catalog, TimeProvider time, XmlLimits limits, List<GradeFinding> findings, CancellationToken cancellationToken)
    {
        var identity = new GradedIdentity();
        string ns, local;
        try
        {
            using var stream = open();
            if (stream.CanSeek && stream.Length > limits.MaxDocumentBytes)
            {
                throw new UnsafeXmlException("XML-TOO-LARGE", $"the document is {stream.Length:N0} bytes, over the limit of {limits.MaxDocumentBytes:N0}: split it or send it by another route", 1, 1);
            }
            using var reader = SafeXml.CreateReader(stream, limits);
            try
            {
                reader.MoveToContent();
            }
            catch (XmlException ex)
            {
                throw SafeXml.Translate(ex, reader, limits);
            }
            (ns, local) = (reader.NamespaceURI, reader.LocalName);
        }
        catch (UnsafeXmlException ex)
        {
            findings.Add(new GradeFinding(GradeSeverity.Error, ex.Code, ex.Message, ex.Location));
            return new GradeResult(null, null, null, identity, false, null, false);
        }
        if (SbdhEnvelope.IsEnvelope(ns, local))
        {
            return new GradeResult(ns, local, null, identity with { DocumentType = "StandardBusinessDocument" }, true, null, true);
        }
        // A broken pack (say an official one dropped in without all its files) yields to the next one.
        CompiledDocument? pack = null;
        XmlSchemaSet? schemas = null;
        foreach (var candidate in catalog.FindAll(ns, local))
        {
            try
            {
                schemas = candidate.Schemas;
                pack = candidate;
                break;
            }
            catch (XmlSchemaException ex)
            {
                pack ??= candidate;
                findings.Add(new GradeFinding(GradeSeverity.Warning, "XML-PACK-BROKEN", $"{ex.Message}: fix or remove the pack; trying the next pack for this document", "1:1"));
            }
        }
        if (pack is null)
        {
            findings.Add(new GradeFinding(GradeSeverity.Error, "XML-UNKNOWN-DOCUMENT",
                $"no schema pack recognises the root element {{{ns}}}{local}: add a pack under {catalog.Root} (see docs/xml.md) or send a supported document", "1:1 /" + local));
            return new GradeResult(ns, local, null, identity, false, null, true);
        }
        identity = identity with { DocumentType = pack.Definition.DocumentType };
        if (schemas is null)
        {
            findings.Add(new GradeFinding(GradeSeverity.Error, "XML-NO-SCHEMA", $"no pack for {{{ns}}}{local} compiles, so the document cannot be validated: fix the packs listed above", "1:1"));
            return new GradeResult(ns, local, pack, identity, false, null, true);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var schemaFindings = 0;
        var pending = new List<(GradeSeverity Severity, string Message, string Position)>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas, XmlResolver = null, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags &= ~(XmlSchemaValidationFlags.ProcessSchemaLocation | XmlSchemaValidationFlags.ProcessInlineSchema);
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error && ++schemaFindings <= MaxSchemaFindings)
            {
                pending.Add((GradeSeverity.Error, e.Message, $"{e.Exception.LineNumber}:{e.Exception.LinePosition}"));
            }
        };
        XPathDocument document;
        SignatureSkippingReader skipper;
        using (var stream = open())
        {
            var raw = SafeXml.CreateReader(stream, limits);
            skipper = new SignatureSkippingReader(raw);
            using var tracker = new PathTrackingReader(XmlReader.Create(skipper, settings));
            tracker.NodeRead = path =>
            {
                foreach (var (severity, message, position) in pending)
                {
                    findings.Add(new GradeFinding(severity, "XML-SCHEMA", message, $"{position} {path}"));
                }
                pending.Clear();
            };
            try
            {
                document = new XPathDocument(tracker, XmlSpace.Preserve);
            }
            catch (Exception ex) when (ex is XmlException or UnsafeXmlException)
            {
                var error = SafeXml.Translate(ex, raw, limits);
                tracker.NodeRead(tracker.CurrentPath);
                findings.Add(new GradeFinding(GradeSeverity.Error, error.Code, error.Message, $"{error.Location} {tracker.CurrentPath}"));
                return new GradeResult(ns, local, pack, identity, skipper.AnySignature, skipper.EnvelopedSignatureLocation, false);
            }
        }
        if (schemaFindings > MaxSchemaFindings)
        {
            findings.Add(new GradeFinding(GradeSeverity.Info, "XML-SCHEMA-TRUNCATED", $"{schemaFindings - MaxSchemaFindings} more schema violations not listed", "1:1"));
        }
        cancellationToken.ThrowIfCancellationRequested();

        var navigator = document.CreateNavigator();
        var namespaces = SchemaCatalog.Namespaces(pack.Definition, navigator.NameTable);
        identity = ReadIdentity(identity, pack.Definition.Identity, navigator, namespaces);
        foreach (var rule in pack.Definition.Rules)
        {
            ApplyRule(rule, navigator, namespaces, time, findings);
        }
        findings.Add(new GradeFinding(GradeSeverity.Info, "XML-PACK",
            $"{pack.Definition.DocumentType}: validated against {pack.Manifest.Standard} {pack.Manifest.Version} (pack '{pack.Manifest.Name}')", $"1:1 /{local}"));
        return new GradeResult(ns, local, pack, identity, skipper.AnySignature, skipper.EnvelopedSignatureLocation, true);
    }

    private static GradedIdentity ReadIdentity(GradedIdentity identity, PackIdentity paths, XPathNavigator navigator, XmlNamespaceManager namespaces)
    {
        string? Value(string? xpath)
        {
            if (string.IsNullOrWhiteSpace(xpath))
            {
                return null;
            }
            var result = navigator.Evaluate(xpath, namespaces);
            var text = result switch
            {
                XPathNodeIterator nodes => nodes.MoveNext() ? nodes.Current?.Value : null,
                string s => s,
                double d => d.ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => null,
            };
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }
        return identity with
        {
            Sender = Value(paths.Sender),
            Recipient = Value(paths.Recipient),
            ControlReference = Value(paths.ControlReference),
            OriginCountry = Value(paths.OriginCountry)?.ToUpperInvariant(),
            DestinationCountry = Value(paths.DestinationCountry)?.ToUpperInvariant(),
            IsTest = Value(paths.IsTest)?.ToLowerInvariant() is "true" or "1" or "test",
            Number = Value(paths.Number ?? paths.ControlReference),
            IssueDate = Value(paths.IssueDate) is { Length: >= 10 } date && DateOnly.TryParseExact(date[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? date[..10] : null,
            FunctionCode = Value(paths.Function) ?? "",
            Function = Value(paths.Function) is { } code ? paths.FunctionCodes.GetValueOrDefault(code, "Other") : "Original",
            ReferencedNumber = Value(paths.ReferencedDocument),
        };
    }

    private static void ApplyRule(PackRule rule, XPathNavigator navigator, XmlNamespaceManager namespaces, TimeProvider time, List<GradeFinding> findings)
    {
        var severity = rule.IsInfo ? GradeSeverity.Info : GradeSeverity.Warning;
        var code = rule.Code ?? "RULE-" + rule.Kind.ToUpperInvariant();
        var nodes = navigator.Select(rule.XPath, namespaces);
        if (rule.Kind == "present")
        {
            if (nodes.Count == 0)
            {
                // Nothing to point at: the location names what was looked for.
                findings.Add(new GradeFinding(severity, code, rule.Message ?? $"{rule.XPath} is absent", $"1:1 {rule.XPath}"));
            }
            return;
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        while (nodes.MoveNext())
        {
            var node = nodes.Current!;
            var value = node.Value.Trim();
            var problem = rule.Kind switch
            {
                "country" when !IsoCountries.IsKnown(value) => $"'{value}' is not an ISO 3166 alpha-2 country code",
                "hsCode" when !HsCode().IsMatch(value) => $"'{value}' is not an HS code (4 digits, then up to 3 pairs, dots optional: 0810.90)",
                "pattern" when !Regex.IsMatch(value, $"^(?:{rule.Pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)) => $"'{value}' does not match {rule.Pattern}",
                "notExpired" => Expired(value, today),
                _ => null,
            };
            if (problem is not null)
            {
                findings.Add(new GradeFinding(severity, code, rule.Message?.Replace("{value}", value, StringComparison.Ordinal) ?? problem, Locate(node)));
            }
        }
    }

    private static string? Expired(string value, DateOnly today)
    {
        var text = value.Length >= 10 ? value[..10] : value;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return $"'{value}' is not a date (yyyy-MM-dd)";
        }
        return date < today ? $"the validity date {date:yyyy-MM-dd} has passed" : null;
    }

    /// <summary>line:column and /a/b[2]/c of a node, computed only for the nodes that fail a rule.</summary>
    internal static string Locate(XPathNavigator node)
    {
        var position = node is IXmlLineInfo info && info.HasLineInfo() ? $"{info.LineNumber}:{info.LinePosition}" : "1:1";
        var parts = new List<string>();
        var cursor = node.Clone();
        do
        {
            if (cursor.NodeType == XPathNodeType.Element)
            {
                var name = cursor.Name;
                var index = 1;
                var sibling = cursor.Clone();
                while (sibling.MoveToPrevious())
                {
                    if (sibling.NodeType == XPathNodeType.Element && sibling.Name == name)
                    {
                        index++;
                    }
                }
                parts.Add(index > 1 ? $"{name}[{index}]" : name);
            }
            else if (cursor.NodeType == XPathNodeType.Attribute)
            {
                parts.Add("@" + cursor.Name);
            }
        }
        while (cursor.MoveToParent());
        parts.Reverse();
        return $"{position} /{string.Join('/', parts)}";
    }

    [GeneratedRegex(@"^\d{4}(\.?\d{2}){0,3}$")]
    private static partial Regex HsCode();
}
