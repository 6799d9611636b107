using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact.Contrl;

namespace CrossBorderHub.Edifact.Tests;

public class EdifactInspectorTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 4, 5, 6, 0, TimeSpan.Zero);

    private static EdifactInspector Create() =>
        new(new HubOptions { Processing = { SchemasPath = Path.Combine(Repo.Root, "schemas") } }, new FixedTime(Now));

    private static Task<Inspection> InspectAsync(byte[] data, PartnerOptions? partner = null, InspectionOverrides? overrides = null) =>
        Create().InspectAsync(new InspectionRequest(
            new MessageRecord
            {
                Id = "m1", ReceivedAt = Now, SourcePartner = "p", SourceChannel = "c", RemoteName = "x.edi", BlobHash = "h",
                Length = data.Length, Status = MessageStatus.Received,
            },
            () => new MemoryStream(data), "p", partner, new HubOptions(), overrides), CancellationToken.None);

    [TestCase("UNB+UNOC:3", true)]
    [TestCase("\uFEFF\r\n UNA:+.? 'UNB", true)]
    [TestCase("<?xml version=\"1.0\"?>", false)]
    [TestCase("UNH+1", false)]
    public void Recognizes_una_or_unb_after_a_bom_and_blanks(string head, bool expected) =>
        Assert.That(Create().Recognizes(System.Text.Encoding.UTF8.GetBytes(head)), Is.EqualTo(expected));

    [Test]
    public async Task Valid_interchange_gives_identity_and_a_contrl_when_unb_asks_for_one()
    {
        var inspection = await InspectAsync(Samples.Read("cusdec-d96b-una-syntax3.edi"));
        Assert.That(inspection.Findings, Is.Empty);
        Assert.That(inspection.Identity, Is.EqualTo(new DocumentIdentity
        {
            Format = DocumentFormat.Edifact, DocumentType = "CUSDEC", Sender = "SENDER1", Recipient = "CNCUSTOMS",
            ControlReference = "REF0001", IsTest = true, AcknowledgementRequested = true,
        }));
        Assert.That(inspection.Reply, Is.Not.Null);
        var report = ContrlReader.Read(inspection.Reply!.Content)!;
        Assert.That((report.Accepted, report.OriginalReference), Is.EqualTo((true, "REF0001")));
    }

    [Test]
    public async Task No_contrl_when_not_asked_unless_the_partner_always_wants_one()
    {
        var data = Samples.Read("cuscar-d96b-two-messages.edi");
        Assert.That((await InspectAsync(data)).Reply, Is.Null);
        Assert.That((await InspectAsync(data, new PartnerOptions { AlwaysAcknowledge = true })).Reply, Is.Not.Null);
    }

    [Test]
    public async Task Broken_interchange_is_rejected_with_findings_and_a_rejecting_contrl()
    {
        var inspection = await InspectAsync(Samples.Read("broken/invalid-code.edi"));
        Assert.That(inspection.HasErrors, Is.True);
        Assert.That(inspection.Findings.Single().Code, Is.EqualTo("12"));
        Assert.That(inspection.Findings.Single().Location, Is.EqualTo("seg 4 offset 110 BGM pos 1:1"));
        Assert.That(ContrlReader.Read(inspection.Reply!.Content)!.Accepted, Is.False);
    }

    [Test]
    public async Task Partner_level_envelope_ignores_code_lists_and_overrides_win()
    {
        var data = Samples.Read("broken/invalid-code.edi");
        Assert.That((await InspectAsync(data, new PartnerOptions { Validation = "envelope" })).Findings, Is.Empty);
        Assert.That((await InspectAsync(data, new PartnerOptions { Validation = "envelope" }, new InspectionOverrides("codes"))).Findings, Is.Not.Empty);
    }

    [Test]
    public async Task Incoming_contrl_answers_the_original_interchange()
    {
        var inspection = await InspectAsync(Samples.Read("contrl-syntax4-rejected.edi"));
        Assert.That(inspection.Findings, Is.Empty);
        Assert.That(inspection.Reply, Is.Null, "a CONTRL is never acknowledged");
        Assert.That(inspection.Answers, Is.EqualTo(inspection.Answers! with { OriginalSender = "SENDER4", OriginalReference = "REF0004", Accepted = false }));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
