using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The documents table over any <see cref="SqlDialect"/>: written at identification, searched by people.</summary>
public sealed partial class DapperDocumentStore(SqlDialect dialect) : IDocumentStore, IDocumentQueries
{
    private const string DateFormat = "yyyy-MM-dd";

    public async Task RecordAsync(string messageId, IReadOnlyList<BusinessDocument> documents, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var work = await Work.WriteAsync(dialect, cancellationToken);
        var (connection, transaction) = (work.Connection, work.Transaction!);
        var source = await connection.QuerySingleOrDefaultAsync<MessageSource>(new CommandDefinition(
            "SELECT source_partner, source_channel, received_at FROM hub_messages WHERE id = @MessageId", new { MessageId = messageId }, transaction, cancellationToken: cancellationToken))
            ?? new MessageSource { ReceivedAt = Time.To(at) };
        var received = Time.From(source.ReceivedAt).UtcDateTime;
        // A reprocessed message is identified again: its documents (and the keys they took) are replaced, not doubled.
        // The statistics rollup follows in the same transaction.
        await DocumentRollup.TrackAsync(connection, transaction, "message_id = @MessageId", new { MessageId = messageId }, async earlier =>
        {
        // A first identification (the usual case) has no rows to replace, nor keys taken by them.
        if (earlier.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM hub_document_keys WHERE document_id IN (SELECT id FROM hub_documents WHERE message_id = @MessageId)", new { MessageId = messageId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_documents WHERE message_id = @MessageId", new { MessageId = messageId }, transaction, cancellationToken: cancellationToken));
        }
        foreach (var d in documents)
        {
            var signature = d.Signature;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO hub_documents (message_id, message_index, message_reference, document_type, document_number, message_function,
                                           function_code, issue_date, issuing_country, destination_country, recorded_at, referenced_number,
                                           state, has_warning, source_partner, source_channel, received_at, received_day, received_week, received_month,
                                           signature_verified, signer_subject, signer_fingerprint, signer_not_before, signer_not_after, signature_detail)
                VALUES (@MessageId, @MessageIndex, @MessageReference, @Type, @Number, @Function, @FunctionCode, @IssueDate, @IssuingCountry, @DestinationCountry, @At,
                        @ReferencedNumber, 'Received', @HasWarning, @SourcePartner, @SourceChannel, @ReceivedAt, @Day, @Week, @Month,
                        @Verified, @Subject, @Fingerprint, @NotBefore, @NotAfter, @SignatureDetail)
                """,
                new
                {
                    MessageId = messageId, d.MessageIndex, d.MessageReference, d.Type, d.Number, Function = d.Function.ToString(), d.FunctionCode,
                    IssueDate = d.IssueDate?.ToString(DateFormat, CultureInfo.InvariantCulture), d.IssuingCountry, d.DestinationCountry, At = Time.To(at),
                    d.ReferencedNumber, HasWarning = d.Number.Length == 0 ? 1 : 0, source.SourcePartner, source.SourceChannel, source.ReceivedAt,
                    Day = StatisticsPeriods.Day(received), Week = StatisticsPeriods.Week(received), Month = StatisticsPeriods.Month(received),
                    Verified = signature is null ? (int?)null : signature.Verified ? 1 : 0, signature?.Subject, signature?.Fingerprint,
                    NotBefore = signature?.NotBefore is { } nb ? Time.To(nb) : (long?)null, NotAfter = signature?.NotAfter is { } na ? Time.To(na) : (long?)null,
                    SignatureDetail = signature?.Detail,
                },
                transaction, cancellationToken: cancellationToken));
        }
        return earlier.Count > 0 || documents.Count > 0;
        }, cancellationToken);
        await work.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DocumentRecord>> FindAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        // SQL Server's OFFSET needs the query's own ORDER BY (as DapperMessageQueries does).
        var sql = "SELECT * FROM hub_documents" + Where(query, paged: true) + " ORDER BY id DESC" + dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal);
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<DocumentRow>(new CommandDefinition(sql, Parameters(query), cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_documents" + Where(query, paged: false), Parameters(query), cancellationToken: cancellationToken));
    }

    private static string Where(DocumentQuery query, bool paged)
    {
        var sql = new StringBuilder(" WHERE 1 = 1");
        if (!string.IsNullOrEmpty(query.Number))
        {
            sql.Append(" AND document_number = @Number");
        }
        if (!string.IsNullOrEmpty(query.Type))
        {
            sql.Append(" AND (document_type = @Type OR document_type LIKE @TypePrefix ESCAPE '\\')");
        }
        if (!string.IsNullOrEmpty(query.Country))
        {
            sql.Append(" AND (issuing_country = @Country OR destination_country = @Country)");
        }
        if (query.From is not null)
        {
            sql.Append(" AND issue_date >= @From");
        }
        if (query.To is not null)
        {
            sql.Append(" AND issue_date <= @To");
        }
        if (query.State is not null)
        {
            sql.Append(" AND state = @State");
        }
        if (paged && query.Before is not null)
        {
            sql.Append(" AND id < @Before");
        }
        return sql.ToString();
    }

    private static object Parameters(DocumentQuery query) => new
    {
        query.Number,
        query.Type,
        // "CUSDEC" also matches "CUSDEC/929": the type is literal ('%' and '_' in it are characters), then "/anything".
        TypePrefix = DapperMessageQueries.EscapeLike(query.Type ?? "") + "/%",
        Country = query.Country?.ToUpperInvariant(),
        From = query.From?.ToString(DateFormat, CultureInfo.InvariantCulture),
        To = query.To?.ToString(DateFormat, CultureInfo.InvariantCulture),
        query.Limit,
        State = query.State?.ToString(),
        query.Offset,
        Before = query.Before ?? 0,
    };

    internal class DocumentRow
    {
        public long Id { get; set; }
        public string MessageId { get; set; } = "";
        public long MessageIndex { get; set; }
        public string MessageReference { get; set; } = "";
        public string DocumentType { get; set; } = "";
        public string DocumentNumber { get; set; } = "";
        public string MessageFunction { get; set; } = "";
        public string FunctionCode { get; set; } = "";
        public string? IssueDate { get; set; }
        public string IssuingCountry { get; set; } = "";
        public string DestinationCountry { get; set; } = "";
        public long RecordedAt { get; set; }
        public string ReferencedNumber { get; set; } = "";
        public string State { get; set; } = "";
        public string SourcePartner { get; set; } = "";
        public long? DuplicateOf { get; set; }
        public long? SupersededBy { get; set; }
        public long? DeliveredAt { get; set; }
        public long? AcknowledgedAt { get; set; }
        public long? Supersedes { get; set; }
        public string SourceChannel { get; set; } = "";
        public long? SignatureVerified { get; set; }
        public string? SignerSubject { get; set; }

        public DocumentRecord ToRecord() => new(
            Id, MessageId, (int)MessageIndex, MessageReference, DocumentType, DocumentNumber,
            Enum.TryParse<DocumentFunction>(MessageFunction, out var f) ? f : DocumentFunction.Other, FunctionCode,
            IssueDate is null ? null : DateOnly.ParseExact(IssueDate, DateFormat, CultureInfo.InvariantCulture),
            IssuingCountry, DestinationCountry, Time.From(RecordedAt))
        {
            ReferencedNumber = ReferencedNumber,
            State = Enum.TryParse<DocumentState>(State, out var state) ? state : DocumentState.Received,
            SourcePartner = SourcePartner,
            DuplicateOf = DuplicateOf,
            SupersededBy = SupersededBy,
            DeliveredAt = DeliveredAt is { } delivered ? Time.From(delivered) : null,
            AcknowledgedAt = AcknowledgedAt is { } acknowledged ? Time.From(acknowledged) : null,
            Supersedes = Supersedes,
            SourceChannel = SourceChannel,
            SignatureVerified = SignatureVerified is { } verified ? verified != 0 : null,
            SignerSubject = SignerSubject,
        };
    }

    private sealed class MessageSource
    {
        public string SourcePartner { get; set; } = "";
        public string SourceChannel { get; set; } = "";
        public long ReceivedAt { get; set; }
    }
}
