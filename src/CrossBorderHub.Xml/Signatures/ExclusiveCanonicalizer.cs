using System.Text;
using System.Xml;

namespace CrossBorderHub.Xml.Signatures;

/// <summary>
/// Exclusive XML canonicalization without comments (http://www.w3.org/2001/10/xml-exc-c14n#) of a whole document,
/// streamed from an <see cref="XmlReader"/> straight into a sink (a hash), with no DOM and no copy. SignedXml
/// clones and re-parses the document several times for the same result; on a 10 MB document that is most of the
/// signing time. Namespace declarations are rendered from the names themselves (visibly utilised prefixes), so
/// the input's xmlns attributes are never copied, exactly as the specification says.
/// </summary>
internal sealed class ExclusiveCanonicalizer
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private readonly Action<ReadOnlySpan<byte>> _sink;
    private readonly char[] _chars = new char[16 * 1024];
    private readonly byte[] _bytes = new byte[(16 * 1024 * 3) + 16];
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    private readonly List<(string Prefix, string Uri)> _rendered = [];
    private readonly Stack<(string Name, int RenderedCount)> _open = new();
    private readonly List<(string Uri, string Local, string Name, string Value)> _attributes = [];
    private readonly List<(string Prefix, string Uri)> _declarations = [];
    private int _count;

    private ExclusiveCanonicalizer(Action<ReadOnlySpan<byte>> sink) => _sink = sink;

    /// <summary>
    /// Canonicalizes everything <paramref name="reader"/> yields. <paramref name="onSkippable"/> sees each element
    /// directly under the document element first; returning true means it consumed that element (the enveloped
    /// signature) and it is left out. Processing instructions outside the document element are kept only for a
    /// whole-document reference (URI=""); <see cref="Result.OutsideInstructions"/> says whether there were any.
    /// </summary>
    public static Result Canonicalize(XmlReader reader, Action<ReadOnlySpan<byte>> sink, Func<XmlReader, bool>? onSkippable = null, bool wholeDocument = true)
    {
        var canonicalizer = new ExclusiveCanonicalizer(sink);
        var result = canonicalizer.Run(reader, onSkippable, wholeDocument);
        canonicalizer.Flush();
        return result;
    }

    /// <param name="RootName">Qualified name of the document element, as written.</param>
    /// <param name="Signatures">ds:Signature elements that were canonicalized (not skipped): signatures below the top level.</param>
    public readonly record struct Result(bool OutsideInstructions, string? RootId, string RootName, int Signatures);

    private Result Run(XmlReader reader, Func<XmlReader, bool>? onSkippable, bool wholeDocument)
    {
        var seenRoot = false;
        var outsideInstructions = false;
        string? rootId = null;
        var rootName = "";
        var signatures = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth == 1 && onSkippable is not null && onSkippable(reader))
                    {
                        continue;
                    }
                    if (reader.Depth == 0)
                    {
                        seenRoot = true;
                        rootId = reader.GetAttribute("Id") ?? reader.GetAttribute("ID") ?? reader.GetAttribute("id");
                        rootName = reader.Name;
                    }
                    if (reader.LocalName == "Signature" && reader.NamespaceURI == XmlSignatures.DsigNamespace)
                    {
                        signatures++;
                    }
                    StartElement(reader);
                    break;
                case XmlNodeType.EndElement:
                    EndElement();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (_open.Count > 0)
                    {
                        WriteEscaped(reader.Value, attribute: false);
                    }
                    break;
                case XmlNodeType.ProcessingInstruction:
                    if (_open.Count > 0)
                    {
                        WriteInstruction(reader);
                    }
                    else
                    {
                        outsideInstructions = true;
                        if (wholeDocument)
                        {
                            // Outside the document element, c14n separates nodes from it with one line feed.
                            if (seenRoot)
                            {
                                Write("\n");
                            }
                            WriteInstruction(reader);
                            if (!seenRoot)
                            {
                                Write("\n");
                            }
                        }
                    }
                    break;
                default:
                    // Comments (c14n without comments), the XML declaration, whitespace outside the root: not output.
                    break;
            }
        }
        return new Result(outsideInstructions, rootId, rootName, signatures);
    }

    private void StartElement(XmlReader reader)
    {
        var name = reader.Name;
        var renderedBefore = _rendered.Count;
        _attributes.Clear();
        _declarations.Clear();
        Need(reader.Prefix, reader.NamespaceURI);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == XmlnsNamespace)
                {
                    continue;
                }
                if (reader.Prefix.Length > 0 && reader.Prefix != "xml")
                {
                    Need(reader.Prefix, reader.NamespaceURI);
                }
                _attributes.Add((reader.NamespaceURI, reader.LocalName, reader.Name, reader.Value));
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        Write("<");
        Write(name);
        _declarations.Sort(static (a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
        foreach (var (prefix, uri) in _declarations)
        {
            Write(prefix.Length == 0 ? " xmlns=\"" : " xmlns:");
            if (prefix.Length > 0)
            {
                Write(prefix);
                Write("=\"");
            }
            WriteEscaped(uri, attribute: true);
            Write("\"");
            _rendered.Add((prefix, uri));
        }
        _attributes.Sort(static (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Uri, b.Uri);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Local, b.Local);
        });
        foreach (var (_, _, attributeName, value) in _attributes)
        {
            Write(" ");
            Write(attributeName);
            Write("=\"");
            WriteEscaped(value, attribute: true);
            Write("\"");
        }
        Write(">");
        _open.Push((name, renderedBefore));
        if (reader.IsEmptyElement)
        {
            EndElement();
        }
    }

    /// <summary>Declares <paramref name="prefix"/> unless the nearest rendering ancestor already declared the same URI.</summary>
    private void Need(string prefix, string uri)
    {
        foreach (var declared in _declarations)
        {
            if (declared.Prefix == prefix)
            {
                return;
            }
        }
        string? current = null;
        for (var i = _rendered.Count - 1; i >= 0; i--)
        {
            if (_rendered[i].Prefix == prefix)
            {
                current = _rendered[i].Uri;
                break;
            }
        }
        if (prefix.Length == 0 && uri.Length == 0)
        {
            // xmlns="" only undoes a default namespace an ancestor rendered.
            if (!string.IsNullOrEmpty(current))
            {
                _declarations.Add(("", ""));
            }
            return;
        }
        if (current != uri)
        {
            _declarations.Add((prefix, uri));
        }
    }

    private void EndElement()
    {
        var (name, renderedBefore) = _open.Pop();
        Write("</");
        Write(name);
        Write(">");
        _rendered.RemoveRange(renderedBefore, _rendered.Count - renderedBefore);
    }

    private void WriteInstruction(XmlReader reader)
    {
        Write("<?");
        Write(reader.Name);
        if (reader.Value.Length > 0)
        {
            Write(" ");
            Write(reader.Value);
        }
        Write("?>");
    }

    private void WriteEscaped(string text, bool attribute)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' when !attribute => "&gt;",
                '"' when attribute => "&quot;",
                '\t' when attribute => "&#x9;",
                '\n' when attribute => "&#xA;",
                '\r' => "&#xD;",
                _ => null,
            };
            if (replacement is not null)
            {
                Write(text.AsSpan(start, i - start));
                Write(replacement);
                start = i + 1;
            }
        }
        Write(text.AsSpan(start));
    }

    private void Write(ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            var take = Math.Min(text.Length, _chars.Length - _count);
            text[..take].CopyTo(_chars.AsSpan(_count));
            _count += take;
            text = text[take..];
            if (_count == _chars.Length)
            {
                Flush(final: false);
            }
        }
    }

    private void Flush(bool final = true)
    {
        // The encoder keeps a high surrogate that ends one buffer for the next.
        var written = _encoder.GetBytes(_chars, 0, _count, _bytes, 0, final);
        _count = 0;
        if (written > 0)
        {
            _sink(_bytes.AsSpan(0, written));
        }
    }
}
