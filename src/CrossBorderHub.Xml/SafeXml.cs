using System.Xml;

namespace CrossBorderHub.Xml;

/// <summary>Limits applied to every XML document the hub reads. Defaults fit customs documents with room to spare.</summary>
public sealed record XmlLimits
{
    /// <summary>Characters in the document (about its size): 64 Mi characters by default.</summary>
    public long MaxCharactersInDocument { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes of a stored document the inspector accepts (checked before parsing, so an oversized file costs nothing):
    /// 64 MiB by default.
    /// </summary>
    public long MaxDocumentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Characters produced by entity expansion. DTDs are prohibited anyway; this is a second belt.</summary>
    public long MaxCharactersFromEntities { get; init; } = 1024;

    /// <summary>Element nesting depth; real documents stay under 30.</summary>
    public int MaxDepth { get; init; } = 128;

    public static XmlLimits Default { get; } = new();
}

/// <summary>Thrown when XML is malformed, hostile or over a limit. Carries the position for the one-line error.</summary>
public sealed class UnsafeXmlException(string code, string message, int line, int column, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>XML-MALFORMED, XML-DTD, XML-TOO-LARGE or XML-TOO-DEEP.</summary>
    public string Code { get; } = code;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Location => $"{Line}:{Column}";
}

/// <summary>
/// The one way the hub parses XML: DTDs prohibited (no XXE, no billion laughs, no external DTD fetch), no resolver
/// (nothing outside the document is ever read), size and depth limits. Every error says line:column.
/// </summary>
public static class SafeXml
{
    public static XmlReaderSettings CreateReaderSettings(XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        return new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxCharactersInDocument,
            MaxCharactersFromEntities = limits.MaxCharactersFromEntities,
            IgnoreProcessingInstructions = false,
            CloseInput = false,
        };
    }

    /// <summary>Loads a whole document for signing or verifying: whitespace kept, since signatures cover it.</summary>
    public static XmlDocument Load(Stream stream, XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        GuardedReader? reader = null;
        try
        {
            // XmlReader.Create already reads the first buffer, so it can fail too.
            reader = new GuardedReader(XmlReader.Create(stream, CreateReaderSettings(limits)), limits);
            document.Load(reader);
        }
        // ArgumentException: XmlDocument re-checks the declaration the reader let through (version="1.0x" is refused
        // there, not by the reader), so a malformed declaration must be reported like any other malformed XML.
        catch (Exception ex) when (ex is XmlException or InvalidOperationException or ArgumentException)
        {
            throw Translate(ex, reader, limits);
        }
        finally
        {
            reader?.Dispose();
        }
        return document;
    }

    public static XmlDocument Load(string path, XmlLimits? limits = null)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, limits);
    }

    public static XmlDocument LoadXml(string xml, XmlLimits? limits = null) =>
        Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), limits);

    /// <summary>
    /// A forward-only reader with the hub's settings and the depth limit. Every parse error, from creation on,
    /// comes out as an <see cref="UnsafeXmlException"/> with its code and line:column.
    /// </summary>
    public static XmlReader CreateReader(Stream stream, XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        try
        {
            // XmlReader.Create already reads the first buffer (encoding detection), so it can fail too.
            return new GuardedReader(XmlReader.Create(stream, CreateReaderSettings(limits)), limits);
        }
        catch (XmlException ex)
        {
            throw Translate(ex, null, limits);
        }
    }

    /// <summary>Turns a parser error into the hub's coded error with line:column and the fix.</summary>
    public static UnsafeXmlException Translate(Exception ex, XmlReader? reader, XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        if (ex is UnsafeXmlException unsafeXml)
        {
            return unsafeXml;
        }
        // Some limits are thrown without line info; then the last node the reader reached is the best position.
        var (line, column) = ex is XmlException xe && xe.LineNumber > 0
            ? (xe.LineNumber, xe.LinePosition)
            : reader is GuardedReader guarded ? (guarded.LastLine, guarded.LastColumn)
            : reader is IXmlLineInfo info ? (info.LineNumber, info.LinePosition) : (1, 1);
        (line, column) = (Math.Max(line, 1), Math.Max(column, 1));
        var text = ex.Message;
        if (text.Contains("DTD", StringComparison.OrdinalIgnoreCase) || text.Contains("DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            return new UnsafeXmlException("XML-DTD", $"a DOCTYPE/DTD is not allowed (entities and external DTDs are refused): remove the DOCTYPE declaration", line, column, ex);
        }
        if (text.Contains("MaxCharactersInDocument", StringComparison.Ordinal) || text.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase) && !text.Contains("entit", StringComparison.OrdinalIgnoreCase))
        {
            return new UnsafeXmlException("XML-TOO-LARGE", $"the document is larger than the limit of {limits.MaxCharactersInDocument:N0} characters: split it or raise the limit", line, column, ex);
        }
        if (text.Contains("entit", StringComparison.OrdinalIgnoreCase) && text.Contains("maximum", StringComparison.OrdinalIgnoreCase))
        {
            return new UnsafeXmlException("XML-ENTITIES", $"entity expansion exceeds {limits.MaxCharactersFromEntities:N0} characters: remove the entities", line, column, ex);
        }
        return new UnsafeXmlException("XML-MALFORMED", $"malformed XML: {StripPosition(text)}", line, column, ex);
    }

    private static string StripPosition(string message)
    {
        // XmlException appends "Line X, position Y." which the location already says.
        var index = message.IndexOf(" Line ", StringComparison.Ordinal);
        return index > 0 ? message[..index].TrimEnd('.', ' ') : message;
    }

    /// <summary>
    /// Refuses documents nested deeper than the limit (stack exhaustion in later stages) and remembers the last
    /// position reached, for errors the parser throws without one.
    /// </summary>
    private sealed class GuardedReader(XmlReader inner, XmlLimits limits) : XmlWrappingReaderBase(inner)
    {
        public int LastLine { get; private set; } = 1;

        public int LastColumn { get; private set; } = 1;

        public override bool Read()
        {
            bool result;
            try
            {
                result = base.Read();
            }
            catch (XmlException ex)
            {
                throw Translate(ex, this, limits);
            }
            catch (ArgumentException ex)
            {
                // XmlTextReader fails this way when it switches to the declared encoding over bytes that do not fit it
                // (found by fuzzing: an ArgumentOutOfRangeException out of the intake).
                throw new UnsafeXmlException("XML-MALFORMED", "malformed XML: the bytes do not fit the encoding the XML declaration names: fix the declaration or the bytes", LastLine, LastColumn, ex);
            }
            if (result)
            {
                (LastLine, LastColumn) = (LineNumber, LinePosition);
                if (Depth > limits.MaxDepth)
                {
                    throw new UnsafeXmlException("XML-TOO-DEEP", $"elements are nested deeper than {limits.MaxDepth} levels: flatten the document", LastLine, LastColumn);
                }
            }
            return result;
        }
    }
}
