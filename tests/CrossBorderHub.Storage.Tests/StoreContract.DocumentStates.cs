namespace CrossBorderHub.Storage.Tests;

/// <summary>Business duplicates under uq_hub_document_keys, replacements and cancellations, and states that follow the message.</summary>
public abstract partial class StoreContract
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private async Task<(DapperDocumentStore Documents, MessageRecord Message)> RecordedAsync(string hash, BusinessDocument document, DapperDocumentStore? documents = null)
    {
        documents ??= new DapperDocumentStore(((DapperMessageStore)Store).Dialect);
        var message = await Store.RecordReceivedAsync(New(hash), T0.AddDays(-1), CancellationToken.None);
        await documents.RecordAsync(message.Id, [document], T0, CancellationToken.None);
        return (documents, message);
    }

    private static async Task<DocumentRecord> OneAsync(DapperDocumentStore documents, string messageId) =>
        (await documents.FindAsync(new DocumentQuery(Limit: 1000), CancellationToken.None)).Single(d => d.MessageId == messageId);

    [Test]
    public async Task The_same_document_again_is_a_duplicate_of_the_first_and_a_replacement_supersedes_it()
    {
        var (documents, first) = await RecordedAsync("k1", Document(0, "CO-1", type: "CertificateOfOrigin", issuer: "CN"));
        var (_, again) = await RecordedAsync("k2", Document(0, "CO-1", type: "CertificateOfOrigin", issuer: "CN"), documents);
        var (_, otherIssuer) = await RecordedAsync("k3", Document(0, "CO-1", type: "CertificateOfOrigin", issuer: "VN"), documents);

        var firstDecision = (await documents.ClaimAsync(first.Id, Window, T0, CancellationToken.None)).Single();
        var againDecision = (await documents.ClaimAsync(again.Id, Window, T0.AddMinutes(1), CancellationToken.None)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(firstDecision.Kind, Is.EqualTo(DocumentDecisionKind.New));
            Assert.That(againDecision.Kind, Is.EqualTo(DocumentDecisionKind.Duplicate));
            Assert.That(againDecision.OtherMessageId, Is.EqualTo(first.Id));
            Assert.That((await documents.ClaimAsync(otherIssuer.Id, Window, T0, CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.New), "another issuer's number");
            Assert.That((await OneAsync(documents, again.Id)).State, Is.EqualTo(DocumentState.Duplicate));
            Assert.That((await OneAsync(documents, again.Id)).DuplicateOf, Is.EqualTo(firstDecision.DocumentId));
        });

        // The carrying message moves: routed, delivered; the duplicate stays a duplicate whatever its message does.
        await Outbox.EnqueueAsync(first.Id, [new DeliveryRequest("TH", "x.xml", first.BlobHash, 10, "r")], "routed", T0, CancellationToken.None);
        Assert.That((await OneAsync(documents, first.Id)).State, Is.EqualTo(DocumentState.PendingDelivery));
        var due = await Outbox.ClaimDueAsync("a", T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10, CancellationToken.None);
        await Outbox.RecordAttemptAsync(due.Single(d => d.MessageId == first.Id), new AttemptResult(true, true, "ok", T0.AddDays(-1).AddSeconds(3), null), CancellationToken.None);
        var delivered = await OneAsync(documents, first.Id);
        Assert.That(delivered.State, Is.EqualTo(DocumentState.Delivered));
        Assert.That(delivered.DeliveredAt, Is.EqualTo(T0.AddDays(-1).AddSeconds(3)));
        await Store.TransitionAsync(again.Id, MessageStatus.Duplicate, "duplicate", "x", "x", CancellationToken.None);
        Assert.That((await OneAsync(documents, again.Id)).State, Is.EqualTo(DocumentState.Duplicate));

        var (_, replacement) = await RecordedAsync("k4", Document(0, "CO-1R", type: "CertificateOfOrigin", issuer: "CN", function: DocumentFunction.Replacement) with { ReferencedNumber = "CO-1" }, documents);
        var replaces = (await documents.ClaimAsync(replacement.Id, Window, T0, CancellationToken.None)).Single();
        Assert.That(replaces.Kind, Is.EqualTo(DocumentDecisionKind.Replaces));
        var original = await OneAsync(documents, first.Id);
        Assert.That(original.State, Is.EqualTo(DocumentState.Replaced));
        Assert.That(original.SupersededBy, Is.EqualTo(replaces.DocumentId));
        await Store.TransitionAsync(first.Id, MessageStatus.Acknowledged, "acknowledged", "ok", null, CancellationToken.None);
        Assert.That((await OneAsync(documents, first.Id)).State, Is.EqualTo(DocumentState.Replaced), "a replaced document stays replaced");

        var (_, cancellation) = await RecordedAsync("k5", Document(0, "CO-1", type: "CertificateOfOrigin", issuer: "VN", function: DocumentFunction.Cancellation), documents);
        Assert.That((await documents.ClaimAsync(cancellation.Id, Window, T0, CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.Cancels), "same number, function Original");
        Assert.That((await OneAsync(documents, otherIssuer.Id)).State, Is.EqualTo(DocumentState.Cancelled));

        var (_, orphan) = await RecordedAsync("k6", Document(0, "CO-9R", type: "CertificateOfOrigin", issuer: "CN", function: DocumentFunction.Replacement) with { ReferencedNumber = "CO-9" }, documents);
        Assert.That((await documents.ClaimAsync(orphan.Id, Window, T0, CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.UnknownOriginal));
        await Outbox.EnqueueAsync(orphan.Id, [], "routed", T0, CancellationToken.None);
        await Store.TransitionAsync(orphan.Id, MessageStatus.Delivered, "delivered", "ok", null, CancellationToken.None);
        Assert.That((await OneAsync(documents, orphan.Id)).State, Is.EqualTo(DocumentState.DeliveredWithWarnings));
    }

    [Test]
    public async Task Two_copies_claimed_at_the_same_time_give_one_new_document_and_one_duplicate()
    {
        var documents = new DapperDocumentStore(((DapperMessageStore)Store).Dialect);
        var messages = new List<MessageRecord>();
        for (var i = 0; i < 6; i++)
        {
            messages.Add((await RecordedAsync($"c{i}", Document(0, "DEC-RACE"), documents)).Message);
        }
        var decisions = await Task.WhenAll(messages.Select(m => Task.Run(() => documents.ClaimAsync(m.Id, Window, T0, CancellationToken.None))));
        Assert.That(decisions.SelectMany(d => d).Count(d => d.Kind == DocumentDecisionKind.New), Is.EqualTo(1), "the UNIQUE constraint decides, not a read-then-write");
    }

    [Test]
    public async Task After_the_window_the_same_document_is_a_new_issue_and_a_number_less_document_is_never_a_duplicate()
    {
        var (documents, first) = await RecordedAsync("w1", Document(0, "DEC-W"));
        var (_, later) = await RecordedAsync("w2", Document(0, "DEC-W"), documents);
        var (_, blank1) = await RecordedAsync("w3", Document(0, ""), documents);
        var (_, blank2) = await RecordedAsync("w4", Document(0, ""), documents);
        await documents.ClaimAsync(first.Id, Window, T0, CancellationToken.None);
        Assert.That((await documents.ClaimAsync(later.Id, Window, T0 + Window + TimeSpan.FromSeconds(1), CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.New));
        Assert.That((await documents.ClaimAsync(blank1.Id, Window, T0, CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.NoNumber));
        Assert.That((await documents.ClaimAsync(blank2.Id, Window, T0, CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.NoNumber));

        // Reprocessing (hub replay) records the message again: the key it took is released and taken again, not a duplicate of itself.
        await documents.RecordAsync(later.Id, [Document(0, "DEC-W")], T0, CancellationToken.None);
        Assert.That((await documents.ClaimAsync(later.Id, Window, T0 + Window + TimeSpan.FromSeconds(2), CancellationToken.None)).Single().Kind, Is.EqualTo(DocumentDecisionKind.New));
    }
}
