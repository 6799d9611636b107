using CrossBorderHub.Core.Documents;
using CrossBorderHub.Edifact;

namespace CrossBorderHub.Core.Tests.Documents;

/// <summary>Every message of an interchange becomes a document with the identity its BGM, DTM, NAD and LOC carry.</summary>
public sealed class EdifactDocumentExtractorTests
{
    private static DocumentExtraction Extract(string body) =>
        EdifactDocumentExtractor.Extract(EdifactParser.Parse(Encoding.ASCII.GetBytes(
            "UNB+UNOC:3+SENDER:ZZ+RECEIVER:ZZ+240123:1111+REF1'" + body + "UNZ+1+REF1'")));

    [Test]
    public void A_cusdec_gives_its_bgm_number_type_date_and_countries()
    {
        var result = Extract("UNH+1+CUSDEC:D:96B:UN'BGM+929+DEC0001+9'DTM+137:20240123:102'"
            + "NAD+EX+++EXPORTER CO+STREET+BANGKOK++10110+TH'NAD+CN+++BUYER+ROAD+VIENTIANE+++LA'UNT+6+1'");

        Assert.That(result.Warnings, Is.Empty);
        var document = result.Documents.Single();
        Assert.Multiple(() =>
        {
            Assert.That(document.Type, Is.EqualTo("CUSDEC/929"));
            Assert.That(document.Number, Is.EqualTo("DEC0001"));
            Assert.That(document.Function, Is.EqualTo(DocumentFunction.Original));
            Assert.That(document.IssueDate, Is.EqualTo(new DateOnly(2024, 1, 23)));
            Assert.That(document.IssuingCountry, Is.EqualTo("TH"));
            Assert.That(document.DestinationCountry, Is.EqualTo("LA"));
            Assert.That(document.MessageReference, Is.EqualTo("1"));
        });
    }

    [Test]
    public void A_replacement_and_a_cancellation_are_told_apart_and_locations_give_countries()
    {
        var result = Extract("UNH+1+CUSDEC:D:01B:UN'BGM+929+DEC0002+5'DTM+137:202401231530:203'LOC+35+MY'LOC+28+SG'UNT+6+1'"
            + "UNH+2+CUSDEC:D:01B:UN'BGM+929+DEC0003+1'UNT+3+2'");

        Assert.That(result.Documents, Has.Count.EqualTo(2));
        var (replacement, cancellation) = (result.Documents[0], result.Documents[1]);
        Assert.Multiple(() =>
        {
            Assert.That(replacement.Function, Is.EqualTo(DocumentFunction.Replacement));
            Assert.That(replacement.FunctionCode, Is.EqualTo("5"));
            Assert.That(replacement.IssueDate, Is.EqualTo(new DateOnly(2024, 1, 23)));
            Assert.That(replacement.IssuingCountry, Is.EqualTo("MY"));
            Assert.That(replacement.DestinationCountry, Is.EqualTo("SG"));
            Assert.That(cancellation.Function, Is.EqualTo(DocumentFunction.Cancellation));
            Assert.That(cancellation.Number, Is.EqualTo("DEC0003"));
            Assert.That(cancellation.MessageIndex, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_message_without_bgm_is_still_a_document_with_an_empty_number_and_a_warning()
    {
        var result = Extract("UNH+7+CUSDEC:D:96B:UN'DTM+137:2024:102'UNT+3+7'");

        var document = result.Documents.Single();
        Assert.Multiple(() =>
        {
            Assert.That(document.Number, Is.Empty);
            Assert.That(document.Type, Is.EqualTo("CUSDEC"));
            Assert.That(document.IssueDate, Is.Null, "a date that is not CCYYMMDD is ignored, not guessed");
            Assert.That(result.Warnings.Single(), Does.Contain("message 7").And.Contain("BGM 1004"));
        });
    }
}
