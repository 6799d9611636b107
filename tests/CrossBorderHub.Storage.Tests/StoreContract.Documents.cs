namespace CrossBorderHub.Storage.Tests;

/// <summary>The documents table: what identification records is found by number, type, country and issue date.</summary>
public abstract partial class StoreContract
{
    private static BusinessDocument Document(int index, string number, string type = "CUSDEC/929", string issuer = "TH", string destination = "LA",
        DateOnly? issued = null, DocumentFunction function = DocumentFunction.Original) => new()
    {
        MessageIndex = index, MessageReference = $"{index + 1}", Type = type, Number = number, Function = function,
        FunctionCode = function == DocumentFunction.Replacement ? "5" : "9", IssueDate = issued, IssuingCountry = issuer, DestinationCountry = destination,
    };

    [Test]
    public async Task Documents_are_found_by_number_type_country_and_issue_date()
    {
        var documents = new DapperDocumentStore(((DapperMessageStore)Store).Dialect);
        var message = await Store.RecordReceivedAsync(New("d1"), T0.AddDays(-1), CancellationToken.None);
        await documents.RecordAsync(message.Id,
        [
            Document(0, "DEC0001", issued: new DateOnly(2024, 1, 23)),
            Document(1, "DEC0002", type: "CUSCAR/85", issuer: "MY", destination: "SG", issued: new DateOnly(2024, 2, 1), function: DocumentFunction.Replacement),
            Document(2, ""),
        ], T0, CancellationToken.None);

        var byNumber = (await documents.FindAsync(new DocumentQuery(Number: "DEC0001"), CancellationToken.None)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(byNumber.MessageId, Is.EqualTo(message.Id));
            Assert.That(byNumber.Type, Is.EqualTo("CUSDEC/929"));
            Assert.That(byNumber.IssueDate, Is.EqualTo(new DateOnly(2024, 1, 23)));
            Assert.That(byNumber.RecordedAt, Is.EqualTo(T0));
            Assert.That(Numbers(await documents.FindAsync(new DocumentQuery(Type: "CUSCAR"), CancellationToken.None)), Is.EqualTo(new[] { "DEC0002" }), "a message type matches its full types");
            Assert.That(Numbers(await documents.FindAsync(new DocumentQuery(Type: "CUSDEC/929"), CancellationToken.None)), Is.EquivalentTo(new[] { "DEC0001", "" }));
            Assert.That(Numbers(await documents.FindAsync(new DocumentQuery(Country: "sg"), CancellationToken.None)), Is.EqualTo(new[] { "DEC0002" }), "destination country, any case");
            Assert.That(Numbers(await documents.FindAsync(new DocumentQuery(Country: "MY"), CancellationToken.None)), Is.EqualTo(new[] { "DEC0002" }), "issuing country");
            Assert.That(Numbers(await documents.FindAsync(new DocumentQuery(From: new DateOnly(2024, 1, 24), To: new DateOnly(2024, 2, 1)), CancellationToken.None)), Is.EqualTo(new[] { "DEC0002" }), "both bounds inclusive, no date never in range");
            Assert.That((await documents.FindAsync(new DocumentQuery(Number: "DEC0002"), CancellationToken.None)).Single().Function, Is.EqualTo(DocumentFunction.Replacement));
            Assert.That(await documents.FindAsync(new DocumentQuery(Number: "DEC9999"), CancellationToken.None), Is.Empty);
        });
    }

    [Test]
    public async Task Recording_a_message_again_replaces_its_documents()
    {
        var documents = new DapperDocumentStore(((DapperMessageStore)Store).Dialect);
        var message = await Store.RecordReceivedAsync(New("d2"), T0.AddDays(-1), CancellationToken.None);
        await documents.RecordAsync(message.Id, [Document(0, "DEC0010")], T0, CancellationToken.None);
        await documents.RecordAsync(message.Id, [Document(0, "DEC0010")], T0.AddMinutes(1), CancellationToken.None);
        Assert.That(await documents.FindAsync(new DocumentQuery(Number: "DEC0010"), CancellationToken.None), Has.Count.EqualTo(1));
    }

    private static string[] Numbers(IReadOnlyList<DocumentRecord> found) => found.Select(d => d.Number).ToArray();
}
