using System.Xml;
using System.Xml.Xsl;
using CrossBorderHub.Xml;

namespace CrossBorderHub.Core.Mapping.Xslt;

/// <summary>
/// Compiles an XSLT 1.0 stylesheet (kind <c>xslt</c>) with everything that reaches outside the document off: no
/// script blocks, no document(), no xsl:import/include resolution (XmlResolver null), and the stylesheet itself read
/// with DTDs prohibited. A syntax error becomes a <see cref="MappingLoadError"/> at the stylesheet's line and column.
/// </summary>
public sealed class XsltMappingCompiler : IMappingCompiler
{
    public string Kind => "xslt";

    public IMapping? Compile(MappingManifest manifest, ICollection<MappingLoadError> errors)
    {
        var file = manifest.RulesFile;
        if (!File.Exists(file))
        {
            errors.Add(new(file, 0, 0, "the stylesheet named by \"file\" in mapping.json does not exist.", "create it or correct \"file\" in mapping.json."));
            return null;
        }
        var transform = new XslCompiledTransform();
        try
        {
            using var stream = File.OpenRead(file);
            using var reader = XmlReader.Create(stream, SafeXml.CreateReaderSettings(), file);
            transform.Load(reader, new XsltSettings(enableDocumentFunction: false, enableScript: false), stylesheetResolver: null);
        }
        catch (XsltException ex)
        {
            errors.Add(new(file, Math.Max(ex.LineNumber, 0), Math.Max(ex.LinePosition, 0), $"the stylesheet does not compile: {FirstLine(ex.Message)}", "correct the XSLT 1.0 at that position (xsl:import, xsl:include, document() and msxsl:script are not allowed)."));
            return null;
        }
        catch (XmlException ex)
        {
            var safe = SafeXml.Translate(ex, null);
            errors.Add(new(file, safe.Line, safe.Column, $"the stylesheet is not well-formed XML ({safe.Code}): {safe.Message}", "fix the XML at that position."));
            return null;
        }
        catch (IOException ex)
        {
            errors.Add(new(file, 0, 0, $"the stylesheet cannot be read: {ex.Message}", "check the file's permissions."));
            return null;
        }
        if (FindScript(file) is { } script)
        {
            // With enableScript off, .NET ignores msxsl:script silently and fails on the first message instead.
            errors.Add(new(file, script.Line, script.Column, "the stylesheet has an msxsl:script block; scripts never run in the hub.", "remove the script and write the logic in XSLT 1.0."));
            return null;
        }
        return new XsltMapping(manifest, transform);
    }

    private static (int Line, int Column)? FindScript(string file)
    {
        using var reader = XmlReader.Create(file, SafeXml.CreateReaderSettings());
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "script" && reader.NamespaceURI == "urn:schemas-microsoft-com:xslt")
            {
                var info = (IXmlLineInfo)reader;
                return (info.LineNumber, info.LinePosition);
            }
        }
        return null;
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n')[0].Trim();
        // XsltException appends "An error occurred at file:(l,c)." which the location already says.
        var at = line.IndexOf(" An error occurred at ", StringComparison.Ordinal);
        return at > 0 ? line[..at] : line;
    }
}
