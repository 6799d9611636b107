using CrossBorderHub.Core.Documents;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The authenticity lookup: one indexed read by number + issuing country, then the message and its deliveries.</summary>
public sealed partial class DapperDocumentStore
{
    public async Task<DocumentVerification> VerifyAsync(VerifyQuery query, string askedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(query, cancellationToken);
        await using var connection = dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO hub_document_lookups (at, document_type, document_number, country, document_id, answer, asked_by) VALUES (@At, @Type, @Number, @Country, @DocumentId, @Answer, @AskedBy)",
            new { At = Time.To(at), query.Type, query.Number, query.Country, answer.DocumentId, Answer = answer.Known ? answer.StatusText : "unknown", AskedBy = askedBy },
            cancellationToken: cancellationToken));
        return answer;
    }

    private async Task<DocumentVerification> AnswerAsync(VerifyQuery query, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        // The first issue (function Original) when there is one; a copy that was a duplicate is never the answer.
        var row = await connection.QueryFirstOrDefaultAsync<VerifyRow>(new CommandDefinition(
            "SELECT d.*, m.source_channel AS message_channel, m.blob_hash, m.received_at AS message_received_at FROM hub_documents d JOIN hub_messages m ON m.id = d.message_id " +
            "WHERE d.document_number = @Number AND d.issuing_country = @Country AND (d.document_type = @Type OR d.document_type LIKE @TypePrefix) AND d.state <> 'Duplicate' " +
            "ORDER BY CASE WHEN d.message_function = 'Original' THEN 0 ELSE 1 END, d.id" + dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal),
            new { query.Number, Country = query.Country.ToUpperInvariant(), query.Type, TypePrefix = Like(query.Type) + "/%", Limit = 1, Offset = 0 },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return new DocumentVerification(false, query);
        }
        var record = row.ToRecord();
        var supersededBy = row.SupersededBy is { } by
            ? await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT document_number FROM hub_documents WHERE id = @By", new { By = by }, cancellationToken: cancellationToken))
            : null;
        var deliveredTo = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT partner FROM hub_deliveries WHERE message_id = @MessageId AND state = 'Delivered' ORDER BY partner", new { record.MessageId }, cancellationToken: cancellationToken))).ToList();
        var duplicates = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM hub_documents WHERE duplicate_of = @Id", new { record.Id }, cancellationToken: cancellationToken));
        var (status, text) = record.State switch
        {
            DocumentState.Replaced => ("replaced", $"replaced by {supersededBy}"),
            DocumentState.Cancelled => ("cancelled", $"cancelled (by {supersededBy})"),
            DocumentState.Rejected => ("rejected", "rejected: it failed validation or had no route and was never delivered"),
            _ => ("valid", "valid"),
        };
        return new DocumentVerification(true, query)
        {
            DocumentId = record.Id, Type = record.Type, Number = record.Number, Function = record.Function, IssueDate = record.IssueDate,
            IssuingCountry = record.IssuingCountry, DestinationCountry = record.DestinationCountry, MessageId = record.MessageId,
            ReceivedFromPartner = record.SourcePartner, ReceivedOnChannel = row.MessageChannel, ReceivedAt = Time.From(row.MessageReceivedAt),
            Signature = row.SignatureVerified is { } verified
                ? new DocumentSignatureAnswer(verified == 1, row.SignerSubject ?? "", row.SignerFingerprint ?? "",
                    row.SignerNotBefore is { } nb ? Time.From(nb) : null, row.SignerNotAfter is { } na ? Time.From(na) : null, row.SignatureDetail ?? "")
                : null,
            Status = status, StatusText = text, State = record.State, ReplacedBy = record.State == DocumentState.Replaced ? supersededBy : null,
            ContentSha256 = row.BlobHash, DeliveredAt = record.DeliveredAt, DeliveredTo = deliveredTo, Duplicates = (int)duplicates,
        };
    }

    private static string Like(string value) => value.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);

    internal sealed class VerifyRow : DocumentRow
    {
        public string MessageChannel { get; set; } = "";
        public string BlobHash { get; set; } = "";
        public long MessageReceivedAt { get; set; }
        public string? SignerFingerprint { get; set; }
        public long? SignerNotBefore { get; set; }
        public long? SignerNotAfter { get; set; }
        public string? SignatureDetail { get; set; }
    }
}
