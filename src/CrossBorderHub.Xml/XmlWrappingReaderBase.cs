using System.Xml;
using System.Xml.Schema;

namespace CrossBorderHub.Xml;

/// <summary>Delegates every member to an inner reader (the framework's own wrapper is internal), keeping line info.</summary>
public abstract class XmlWrappingReaderBase(XmlReader inner) : XmlReader, IXmlLineInfo
{
    protected XmlReader Inner { get; } = inner;

    public override XmlNodeType NodeType => Inner.NodeType;
    public override string LocalName => Inner.LocalName;
    public override string NamespaceURI => Inner.NamespaceURI;
    public override string Prefix => Inner.Prefix;
    public override string Name => Inner.Name;
    public override string Value => Inner.Value;
    public override bool HasValue => Inner.HasValue;
    public override int Depth => Inner.Depth;
    public override string BaseURI => Inner.BaseURI;
    public override bool IsEmptyElement => Inner.IsEmptyElement;
    public override bool IsDefault => Inner.IsDefault;
    public override char QuoteChar => Inner.QuoteChar;
    public override XmlSpace XmlSpace => Inner.XmlSpace;
    public override string XmlLang => Inner.XmlLang;
    public override IXmlSchemaInfo? SchemaInfo => Inner.SchemaInfo;
    public override int AttributeCount => Inner.AttributeCount;
    public override bool EOF => Inner.EOF;
    public override ReadState ReadState => Inner.ReadState;
    public override XmlNameTable NameTable => Inner.NameTable;
    public override bool CanResolveEntity => false;
    public override XmlReaderSettings? Settings => Inner.Settings;

    public override string GetAttribute(string name) => Inner.GetAttribute(name)!;
    public override string? GetAttribute(string name, string? namespaceURI) => Inner.GetAttribute(name, namespaceURI);
    public override string GetAttribute(int i) => Inner.GetAttribute(i);
    public override bool MoveToAttribute(string name) => Inner.MoveToAttribute(name);
    public override bool MoveToAttribute(string name, string? ns) => Inner.MoveToAttribute(name, ns);
    public override void MoveToAttribute(int i) => Inner.MoveToAttribute(i);
    public override bool MoveToFirstAttribute() => Inner.MoveToFirstAttribute();
    public override bool MoveToNextAttribute() => Inner.MoveToNextAttribute();
    public override bool MoveToElement() => Inner.MoveToElement();
    public override bool Read() => Inner.Read();
    public override void Close() => Inner.Close();
    public override string? LookupNamespace(string prefix) => Inner.LookupNamespace(prefix);
    public override void ResolveEntity() => throw new InvalidOperationException("entities are not resolved");
    public override bool ReadAttributeValue() => Inner.ReadAttributeValue();

    public bool HasLineInfo() => Inner is IXmlLineInfo info && info.HasLineInfo();
    public int LineNumber => Inner is IXmlLineInfo info ? info.LineNumber : 0;
    public int LinePosition => Inner is IXmlLineInfo info ? info.LinePosition : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
