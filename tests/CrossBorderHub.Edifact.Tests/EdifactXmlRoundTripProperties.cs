using CrossBorderHub.Edifact.Xml;
using CsCheck;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Property: to-xml then to-edi is the identity. The XML form promises the original bytes back exactly, whatever
/// they hold (EdifactXml's summary), so it is checked on written interchanges, on damaged ones and on any bytes;
/// the XML goes through its text form, as `hub to-xml -o X` writes it and `hub to-edi X` reads it.
/// </summary>
public class EdifactXmlRoundTripProperties
{
    [Test]
    public void To_xml_then_to_edi_gives_back_every_written_interchange()
    {
        GeneratedInterchanges.Written(maxMessages: 3).Sample(AssertIdentity, iter: 300, print: GeneratedInterchanges.Show);
    }

    [Test]
    public void To_xml_then_to_edi_gives_back_every_damaged_interchange()
    {
        GeneratedInterchanges.Damaged(maxMessages: 3, maxDefects: 6).Sample(AssertIdentity, iter: 500, print: GeneratedInterchanges.Show);
    }

    [Test]
    public void To_xml_then_to_edi_gives_back_any_bytes()
    {
        Gen.Byte.Array[0, 200].Sample(AssertIdentity, iter: 500, print: GeneratedInterchanges.Show);
    }

    internal static byte[] RoundTrip(byte[] edifact)
    {
        using var xml = new MemoryStream();
        EdifactXml.ToXml(edifact).Save(xml);
        xml.Position = 0;
        return EdifactXml.ToEdifact(xml);
    }

    private static void AssertIdentity(byte[] edifact) =>
        Assert.That(RoundTrip(edifact), Is.EqualTo(edifact), GeneratedInterchanges.Show(edifact));
}
