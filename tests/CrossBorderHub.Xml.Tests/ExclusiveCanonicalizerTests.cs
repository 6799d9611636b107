using System.Security.Cryptography.Xml;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Xml.Tests;

/// <summary>The streaming canonicalizer must produce exactly what System.Security.Cryptography.Xml produces.</summary>
public sealed class ExclusiveCanonicalizerTests
{
    private static readonly string[] Tricky =
    [
        "<a xmlns=\"urn:x\"><b xmlns=\"\"><c/></b><d xmlns:p=\"urn:p\" p:z=\"1\" y=\"2\" a=\"3\"/></a>",
        "<p:a xmlns:p=\"urn:p\" xmlns:unused=\"urn:u\"><p:b><q:c xmlns:q=\"urn:q\" xmlns:p=\"urn:p2\" p:x=\"&amp;&lt;&quot;&#9;&#10;&#13;\"/></p:b></p:a>",
        "<?xml version=\"1.0\"?>\n<?pi before?>\n<!-- comment -->\n<a>text &amp; &lt; &gt; &#13; <![CDATA[<raw> & ]]><?inner data?><!-- gone --></a>\n<?after?>\n",
        "<a xml:lang=\"th\" xmlns:b=\"urn:b\" b:attr=\"v\" attr=\"w\"><b:x xml:space=\"preserve\">  Bangkok ไทย 中文 😀  </b:x></a>",
        "<a xmlns=\"urn:1\"><b xmlns=\"urn:2\"><c xmlns=\"urn:1\"/></b><e:f xmlns:e=\"urn:e\"><g/></e:f></a>",
        "<r attr=\"a&#10;b\r\nc\">line1\r\nline2\rline3</r>",
    ];

    public static IEnumerable<string> Documents() =>
        Tricky.Concat(Directory.GetFiles(XmlSamples.Folder, "*.xml")
            .Where(f => !f.EndsWith("malformed.xml", StringComparison.Ordinal) && !f.EndsWith("xxe.xml", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    [TestCaseSource(nameof(Documents))]
    public void MatchesTheFrameworkExclusiveCanonicalization(string xml)
    {
        var document = SafeXml.LoadXml(xml);
        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(document);
        var expected = new StreamReader((Stream)transform.GetOutput(typeof(Stream)), Encoding.UTF8).ReadToEnd();

        using var buffer = new MemoryStream();
        using var reader = SafeXml.CreateReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
        ExclusiveCanonicalizer.Canonicalize(reader, bytes => buffer.Write(bytes));
        Assert.That(Encoding.UTF8.GetString(buffer.ToArray()), Is.EqualTo(expected));
    }
}
