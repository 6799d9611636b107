using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Tests.Xml;
using CrossBorderHub.Edifact;

namespace CrossBorderHub.Core.Tests.Documents;

/// <summary>Message function and the referenced earlier document: EDIFACT BGM 1225 + RFF by message type, XML from the pack's identity XPaths.</summary>
public sealed class DocumentFunctionTests
{
    private static BusinessDocument Edifact(string body) =>
        EdifactDocumentExtractor.Extract(EdifactParser.Parse(Encoding.ASCII.GetBytes(
            "UNB+UNOC:3+SENDER:ZZ+RECEIVER:ZZ+240123:1111+REF1'" + body + "UNZ+1+REF1'"))).Documents.Single();

    [Test]
    public void An_edifact_replacement_names_its_original_from_the_rff_its_message_type_uses()
    {
        var cusdec = Edifact("UNH+1+CUSDEC:D:96B:UN'BGM+929+DEC0002+5'RFF+ACW:OLDMSG'RFF+ABT:DEC0001'UNT+5+1'");
        Assert.That((cusdec.Function, cusdec.ReferencedNumber), Is.EqualTo((DocumentFunction.Replacement, "DEC0001")), "ABT (customs declaration) before ACW for CUSDEC");
        var invoice = Edifact("UNH+1+INVOIC:D:96B:UN'BGM+380+INV2+1'RFF+OI:INV1'UNT+4+1'");
        Assert.That((invoice.Function, invoice.ReferencedNumber), Is.EqualTo((DocumentFunction.Cancellation, "INV1")));
        var other = Edifact("UNH+1+IFTMIN:D:01B:UN'BGM+610+SHIP2+5'RFF+ACW:SHIP1'UNT+4+1'");
        Assert.That(other.ReferencedNumber, Is.EqualTo("SHIP1"));
        var original = Edifact("UNH+1+CUSDEC:D:96B:UN'BGM+929+DEC0003+9'RFF+ABT:DEC0001'UNT+4+1'");
        Assert.That(original.ReferencedNumber, Is.Empty, "an original refers to no earlier document of its own");
    }

    [Test]
    public async Task A_form_d_replacement_reads_function_issue_date_and_replaced_number_from_its_pack()
    {
        var xml = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, "form-d-valid.xml")))
            .Replace("</ImportingCountry>", "</ImportingCountry><Function>Replacement</Function><ReplacesReferenceNumber>CN-D-2026-000100</ReplacesReferenceNumber>", StringComparison.Ordinal);
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.Request(Encoding.UTF8.GetBytes(xml)), CancellationToken.None);
        Assert.That(inspection.HasErrors, Is.False, string.Join("\n", inspection.Findings));
        var document = inspection.Documents.Single();
        Assert.Multiple(() =>
        {
            Assert.That(document.Number, Is.EqualTo("CN-D-2026-000123"));
            Assert.That(document.Function, Is.EqualTo(DocumentFunction.Replacement));
            Assert.That(document.FunctionCode, Is.EqualTo("Replacement"));
            Assert.That(document.ReferencedNumber, Is.EqualTo("CN-D-2026-000100"));
            Assert.That(document.IssueDate, Is.Not.Null);
            Assert.That(document.IssuingCountry, Is.EqualTo("CN"));
        });
    }

    [Test]
    public async Task An_ephyto_certificate_is_an_original_with_its_issue_date()
    {
        var inspection = await XmlTestHub.Inspector().InspectAsync(XmlTestHub.Request(File.ReadAllBytes(Path.Combine(XmlTestHub.SamplesFolder, "ephyto-valid.xml"))), CancellationToken.None);
        var document = inspection.Documents.Single();
        Assert.That((document.Type, document.Function, document.FunctionCode, document.IssueDate), Is.EqualTo(("PhytosanitaryCertificate", DocumentFunction.Original, "70", (DateOnly?)new DateOnly(2026, 11, 19))));
    }
}
