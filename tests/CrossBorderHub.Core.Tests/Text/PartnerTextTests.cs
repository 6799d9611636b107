using CrossBorderHub.Core.Text;

namespace CrossBorderHub.Core.Tests.Text;

/// <summary>Issue 11 defect 6: partner-chosen names and bytes reach logs and terminals escaped.</summary>
public sealed class PartnerTextTests
{
    [TestCase("inv.edi", "inv.edi")]
    [TestCase("a\nb", @"a\nb")]
    [TestCase("a\r\n\tb", @"a\r\n\tb")]
    [TestCase("\u001b[31mred", @"\e[31mred")]
    [TestCase("invoice\u202Efdp.exe", @"invoice\u202Efdp.exe")]
    [TestCase("a\u2028b\u200Bc\u0085d\u007Fe", @"a\u2028b\u200Bc\x85d\x7Fe")]
    [TestCase("报关单 Ü.xml", "报关单 Ü.xml")]
    [TestCase("p1\\inv.edi", "p1\\inv.edi")]
    public void Partner_text_with_control_escape_or_bidi_characters_is_escaped(string raw, string expected) =>
        Assert.That(PartnerText.Escape(raw), Is.EqualTo(expected));

    [Test]
    public void An_unpaired_surrogate_is_escaped_and_a_pair_is_kept()
    {
        Assert.That(PartnerText.Escape("a\uD800b"), Is.EqualTo(@"a\uD800b"));
        Assert.That(PartnerText.Escape("\U0001F4E6 box"), Is.EqualTo("\U0001F4E6 box"));
    }

    [Test]
    public void A_huge_name_is_cut_to_a_bounded_length()
    {
        var escaped = PartnerText.Escape(new string('\n', 100_000));
        Assert.That(escaped.Length, Is.LessThanOrEqualTo(PartnerText.MaxLength + 40));
        Assert.That(escaped, Does.Contain("chars)"));
    }

    [Test]
    public void Bytes_are_shown_as_ascii_with_escapes()
    {
        Assert.That(PartnerText.Escape("UNB\n\u001b"u8), Is.EqualTo(@"UNB\n\e"));
        Assert.That(PartnerText.Escape(new byte[] { 0xC3, 0xA9 }), Is.EqualTo(@"\xC3\xA9"));
    }

    [Test]
    public void A_validation_finding_echoing_an_element_value_is_escaped()
    {
        var finding = new Finding(FindingSeverity.Error, "XML-SCHEMA", "The value 'x\n\u001b[2J\u202E' is invalid", "3:7 /a/b");
        Assert.That(finding.Message, Is.EqualTo(@"The value 'x\n\e[2J\u202E' is invalid"));
        Assert.That(finding.ToString().IndexOfAny(['\n', '\u001b', '\u202E']), Is.EqualTo(-1));
    }
}
