using System.Globalization;
using System.Text;
using System.Xml;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Sbdh;

/// <summary>What the Standard Business Document Header says about the payload.</summary>
public sealed record SbdhHeader(
    string Sender,
    string Receiver,
    string DocumentType,
    string InstanceIdentifier,
    DateTimeOffset CreationTime,
    string Standard = "",
    string TypeVersion = "1.0");

/// <summary>An unwrapped envelope: the header and the payload bytes as they were before wrapping.</summary>
public sealed record SbdhContent(SbdhHeader Header, byte[] Payload, bool PayloadIsXml, string? MimeType);

/// <summary>
/// The UN/CEFACT Standard Business Document envelope. Wrap puts any payload after the header: XML inline (its
/// root element as is), anything else (EDIFACT, PDF...) as base64 in a BinaryPayload element of our namespace,
/// as the SBDH's xs:any payload allows. Signing the envelope is <see cref="XmlSignatures.Sign"/> on the result.
/// </summary>
public static class SbdhEnvelope
{
    public const string Namespace = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";
    public const string RootName = "StandardBusinessDocument";
    public const string BinaryNamespace = "urn:crossborderhub:sbdh:binary:1";

    public static bool IsEnvelope(string namespaceUri, string localName) => namespaceUri == Namespace && localName == RootName;

    public static XmlDocument Wrap(byte[] payload, SbdhHeader header, string? mimeType = null, XmlLimits? limits = null)
    {
        var envelope = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = envelope.CreateElement("sh", RootName, Namespace);
        envelope.AppendChild(envelope.CreateXmlDeclaration("1.0", "UTF-8", null));
        envelope.AppendChild(root);
        var head = Add(root, "StandardBusinessDocumentHeader");
        Add(head, "HeaderVersion", "1.0");
        Add(Add(head, "Sender"), "Identifier", header.Sender);
        Add(Add(head, "Receiver"), "Identifier", header.Receiver);
        var identification = Add(head, "DocumentIdentification");
        Add(identification, "Standard", header.Standard);
        Add(identification, "TypeVersion", header.TypeVersion);
        Add(identification, "InstanceIdentifier", header.InstanceIdentifier);
        Add(identification, "Type", header.DocumentType);
        Add(identification, "CreationDateAndTime", header.CreationTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (LooksLikeXml(payload) && TryLoad(payload, limits) is { DocumentElement: { } inner })
        {
            root.AppendChild(envelope.ImportNode(inner, deep: true));
        }
        else
        {
            var binary = envelope.CreateElement("bin", "BinaryPayload", BinaryNamespace);
            binary.SetAttribute("mimeType", mimeType ?? GuessMimeType(payload));
            binary.SetAttribute("encoding", "base64");
            binary.InnerText = Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks);
            root.AppendChild(binary);
        }
        return envelope;
    }

    /// <summary>Reads header and payload; null with <paramref name="problem"/> set when the envelope is not usable.</summary>
    public static SbdhContent? Unwrap(XmlDocument envelope, out string? problem)
    {
        problem = null;
        var root = envelope.DocumentElement;
        if (root is null || !IsEnvelope(root.NamespaceURI, root.LocalName))
        {
            problem = "the document is not a StandardBusinessDocument";
            return null;
        }
        var manager = new XmlNamespaceManager(envelope.NameTable);
        manager.AddNamespace("sh", Namespace);
        string Text(string xpath) => root.SelectSingleNode(xpath, manager)?.InnerText.Trim() ?? "";
        var created = DateTimeOffset.TryParse(Text("sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:CreationDateAndTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
        var header = new SbdhHeader(
            Text("sh:StandardBusinessDocumentHeader/sh:Sender/sh:Identifier"),
            Text("sh:StandardBusinessDocumentHeader/sh:Receiver/sh:Identifier"),
            Text("sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:Type"),
            Text("sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:InstanceIdentifier"),
            created,
            Text("sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:Standard"),
            Text("sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:TypeVersion"));
        var payload = root.ChildNodes.OfType<XmlElement>()
            .FirstOrDefault(e => !(e.NamespaceURI == Namespace && e.LocalName == "StandardBusinessDocumentHeader") && e.NamespaceURI != XmlSignatures.DsigNamespace);
        if (payload is null)
        {
            problem = "the envelope carries no payload after its header";
            return null;
        }
        if (payload.NamespaceURI == BinaryNamespace && payload.LocalName == "BinaryPayload")
        {
            try
            {
                return new SbdhContent(header, Convert.FromBase64String(payload.InnerText), false, payload.GetAttribute("mimeType"));
            }
            catch (FormatException)
            {
                problem = "the BinaryPayload is not valid base64";
                return null;
            }
        }
        var inner = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        inner.AppendChild(inner.ImportNode(payload, deep: true));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false }))
        {
            inner.Save(writer);
        }
        return new SbdhContent(header, buffer.ToArray(), true, "application/xml");
    }

    private static XmlElement Add(XmlElement parent, string name, string? text = null)
    {
        var element = parent.OwnerDocument.CreateElement("sh", name, Namespace);
        if (text is not null)
        {
            element.InnerText = text;
        }
        parent.AppendChild(element);
        return element;
    }

    /// <summary>Optional UTF-8 BOM, whitespace, then the first character is &lt;.</summary>
    public static bool LooksLikeXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'<';
    }

    private static XmlDocument? TryLoad(byte[] payload, XmlLimits? limits)
    {
        try
        {
            return SafeXml.Load(new MemoryStream(payload, writable: false), limits);
        }
        catch (UnsafeXmlException)
        {
            return null;
        }
    }

    private static string GuessMimeType(ReadOnlySpan<byte> payload)
    {
        var start = payload.TrimStart(" \t\r\n"u8);
        return start.StartsWith("UNA"u8) || start.StartsWith("UNB"u8) ? "application/EDIFACT" : "application/octet-stream";
    }
}
