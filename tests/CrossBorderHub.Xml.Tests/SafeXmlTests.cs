using System.Globalization;
using System.Xml;

namespace CrossBorderHub.Xml.Tests;

public sealed class SafeXmlTests
{
    [Test]
    public void ExternalEntityToALocalFileIsRefusedAndTheFileIsNotRead()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"xxe-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET-CONTENT");
        try
        {
            var xml = $"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file://{secret}\">]>\n<r>&x;</r>";
            var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml(xml))!;
            Assert.That(error.Code, Is.EqualTo("XML-DTD"));
            Assert.That(error.Line, Is.InRange(1, 2));
            Assert.That(error.Message, Does.Not.Contain("TOP-SECRET"));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    // Found by fuzzing (tests/CrossBorderHub.Fuzz/regressions/xml/): XmlDocument threw ArgumentException, a crash
    // of the XML intake (SBDH envelopes) instead of a finding.
    [TestCase("1.0BinaryPa")]
    [TestCase("1.0x")]
    public void An_xml_declaration_with_a_malformed_version_is_refused_as_malformed_xml_not_a_crash(string version)
    {
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml($"<?xml version=\"{version}\" encoding=\"utf-8\"?><r/>"))!;
        Assert.That(error.Code, Is.EqualTo("XML-MALFORMED"));
        Assert.That(error.Message, Does.Contain("version").IgnoreCase);
    }

    // Found by fuzzing (regressions/xml/declared-encoding-switch-*): the reader's switch to the declared encoding
    // threw ArgumentOutOfRangeException out of XML grading, a crash of the intake instead of a finding.
    [Test]
    public void A_declaration_whose_encoding_switch_fails_is_refused_as_malformed_xml_not_a_crash()
    {
        var bytes = Convert.FromHexString("3c3f786d6c2076657273696f6e3d22312e30dcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdc30223f3e0a3c496e766f69636520783d227572");
        using var reader = SafeXml.CreateReader(new MemoryStream(bytes));
        var error = Assert.Throws<UnsafeXmlException>(() =>
        {
            while (reader.Read())
            {
            }
        })!;
        Assert.That(error.Code, Is.EqualTo("XML-MALFORMED"));
    }

    [Test]
    public void BillionLaughsIsRefusedBeforeAnyExpansion()
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(CultureInfo.InvariantCulture))};", 10))}\">");
        }
        builder.Append("]><lolz>&lol9;</lolz>");
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml(builder.ToString()))!;
        Assert.That(error.Code, Is.EqualTo("XML-DTD"));
    }

    [Test]
    public void ExternalDtdIsRefused()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\"><r/>";
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml(xml))!;
        Assert.That(error.Code, Is.EqualTo("XML-DTD"));
        Assert.That(error.Message, Does.Contain("remove the DOCTYPE"));
    }

    [Test]
    public void MalformedXmlSaysLineAndColumn()
    {
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml("<a>\n  <b>text</c>\n</a>"))!;
        Assert.That(error.Code, Is.EqualTo("XML-MALFORMED"));
        Assert.That(error.Location, Is.EqualTo("2:12"));
    }

    [Test]
    public void DeepNestingIsRefused()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 500)) + string.Concat(Enumerable.Repeat("</a>", 500));
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.LoadXml(xml))!;
        Assert.That(error.Code, Is.EqualTo("XML-TOO-DEEP"));
    }

    [Test]
    public void A200MegabyteDocumentIsRefusedWithBoundedMemory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.xml");
        try
        {
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
            {
                writer.Write("<root>");
                var line = "<item>" + new string('x', 1000) + "</item>\n";
                for (var written = 0L; written < 200L * 1024 * 1024; written += line.Length)
                {
                    writer.Write(line);
                }
                writer.Write("</root>");
            }
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var peak = 0L;
            using var stream = File.OpenRead(path);
            using var reader = SafeXml.CreateReader(stream);
            var error = Assert.Throws<UnsafeXmlException>(() =>
            {
                try
                {
                    while (reader.Read())
                    {
                        if (reader.Depth == 1 && reader.NodeType == XmlNodeType.Element && reader.LineNumberOr0() % 20000 == 0)
                        {
                            peak = Math.Max(peak, GC.GetTotalMemory(false));
                        }
                    }
                }
                catch (XmlException ex)
                {
                    throw SafeXml.Translate(ex, reader);
                }
            })!;
            Assert.That(error.Code, Is.EqualTo("XML-TOO-LARGE"));
            Assert.That(error.Line, Is.GreaterThan(1000));
            Assert.That(peak - before, Is.LessThan(64L * 1024 * 1024), "streaming must not hold the document");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadRefusesADocumentOverTheConfiguredLimit()
    {
        var limits = new XmlLimits { MaxCharactersInDocument = 1000 };
        var xml = "<r>" + new string('x', 5000) + "</r>";
        var error = Assert.Throws<UnsafeXmlException>(() => SafeXml.Load(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limits))!;
        Assert.That(error.Code, Is.EqualTo("XML-TOO-LARGE"));
    }

    [Test]
    public void AValidDocumentLoadsWithWhitespaceKept()
    {
        var document = SafeXml.LoadXml("<r>\n  <a x=\"1\">t</a>\n</r>");
        Assert.That(document.DocumentElement!.FirstChild!.NodeType, Is.EqualTo(XmlNodeType.Whitespace));
    }
}

internal static class LineInfoExtensions
{
    public static int LineNumberOr0(this XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;
}
