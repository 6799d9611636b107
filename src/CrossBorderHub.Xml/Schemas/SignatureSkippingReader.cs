using System.Xml;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Schemas;

/// <summary>
/// Hides the enveloped ds:Signature (a child of the document element) from schema validation — most business
/// schemas do not allow it, yet it is legitimately there — and records where signatures are.
/// </summary>
internal sealed class SignatureSkippingReader(XmlReader inner) : XmlWrappingReaderBase(inner)
{
    /// <summary>Line:column of the first signature directly under the document element, if any.</summary>
    public string? EnvelopedSignatureLocation { get; private set; }

    /// <summary>True when any ds:Signature appears below the document element, wherever it is.</summary>
    public bool AnySignature { get; private set; }

    public override bool Read()
    {
        if (!Inner.Read())
        {
            return false;
        }
        // Depth 0 is a detached signature document itself (the w3c-xmldsig pack), not a signed document.
        while (Inner.NodeType == XmlNodeType.Element && Inner.Depth > 0 && Inner.LocalName == "Signature" && Inner.NamespaceURI == XmlSignatures.DsigNamespace)
        {
            AnySignature = true;
            if (Inner.Depth != 1)
            {
                break;
            }
            EnvelopedSignatureLocation ??= $"{LineNumber}:{LinePosition}";
            Inner.Skip();
            if (Inner.EOF || Inner.ReadState != ReadState.Interactive)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Keeps the element path (e.g. /f:CertificateOfOrigin/f:Item[2]/f:HsCode) for findings raised while reading.</summary>
internal sealed class PathTrackingReader(XmlReader inner) : XmlWrappingReaderBase(inner)
{
    private readonly Stack<(string Path, Dictionary<string, int> Children)> _stack = new();
    private bool _popPending;

    public string CurrentPath => _stack.Count == 0 ? "/" : _stack.Peek().Path;

    /// <summary>Called after each node is read, with the path of that node; findings raised during the read use it.</summary>
    public Action<string>? NodeRead { get; set; }

    public override bool Read()
    {
        if (_popPending)
        {
            _stack.Pop();
            _popPending = false;
        }
        var result = Inner.Read();
        if (result)
        {
            if (Inner.NodeType == XmlNodeType.Element)
            {
                var name = Inner.Name;
                var parentPath = _stack.Count == 0 ? "" : _stack.Peek().Path;
                var index = 1;
                if (_stack.Count > 0)
                {
                    var children = _stack.Peek().Children;
                    index = children.TryGetValue(name, out var seen) ? seen + 1 : 1;
                    children[name] = index;
                }
                _stack.Push(($"{parentPath}/{name}{(index > 1 ? $"[{index}]" : "")}", new Dictionary<string, int>(StringComparer.Ordinal)));
                _popPending = Inner.IsEmptyElement;
            }
            else if (Inner.NodeType == XmlNodeType.EndElement)
            {
                _popPending = true;
            }
        }
        NodeRead?.Invoke(CurrentPath);
        return result;
    }
}
