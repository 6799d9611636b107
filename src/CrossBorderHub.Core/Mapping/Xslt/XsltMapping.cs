using System.Xml;
using System.Xml.Xsl;
using CrossBorderHub.Xml;

namespace CrossBorderHub.Core.Mapping.Xslt;

/// <summary>
/// A compiled stylesheet. XslCompiledTransform.Transform is thread-safe once loaded, so one instance serves every
/// message. The input is read through <see cref="SafeXml.CreateReader"/> (DTDs prohibited, limits applied).
/// </summary>
internal sealed class XsltMapping(MappingManifest manifest, XslCompiledTransform transform) : IMapping
{
    public MappingDescriptor Descriptor { get; } = new(manifest.Name, manifest.Version, MappingHash.Of(manifest), "xslt", manifest.Source, manifest.Target);

    public MappingOutcome Map(Stream source, Stream target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        XmlReader? reader = null;
        try
        {
            reader = SafeXml.CreateReader(source);
            using var writer = XmlWriter.Create(target, transform.OutputSettings);
            transform.Transform(reader, arguments: null, writer, documentResolver: null);
            return MappingOutcome.Mapped;
        }
        catch (UnsafeXmlException ex)
        {
            return MappingOutcome.Failed(new MappingFinding($"{ex.Location}", $"{ex.Code}: {ex.Message}"));
        }
        catch (XmlException ex)
        {
            var safe = SafeXml.Translate(ex, reader);
            return MappingOutcome.Failed(new MappingFinding(safe.Location, $"{safe.Code}: {safe.Message}"));
        }
        catch (XsltException ex)
        {
            // xsl:message terminate="yes" is how a stylesheet says a mandatory source value is missing.
            return MappingOutcome.Failed(new MappingFinding(manifest.Name, ex.Message.ReplaceLineEndings(" ").Trim()));
        }
        finally
        {
            reader?.Dispose();
        }
    }
}
