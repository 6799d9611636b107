using System.Data.Common;
using CrossBorderHub.Core.Documents;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The business duplicate decision: keys under uq_hub_document_keys, one transaction per message.</summary>
public sealed partial class DapperDocumentStore
{
    public async Task<IReadOnlyList<DocumentDecision>> ClaimAsync(string messageId, TimeSpan window, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var work = await Work.WriteAsync(dialect, cancellationToken);
        var (connection, transaction) = (work.Connection, work.Transaction!);
        var rows = await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            "SELECT * FROM hub_documents WHERE message_id = @MessageId ORDER BY message_index", new { MessageId = messageId }, transaction, cancellationToken: cancellationToken));
        var decisions = new List<DocumentDecision>();
        foreach (var document in rows.Select(r => r.ToRecord()))
        {
            decisions.Add(await ClaimAsync(connection, transaction, document, window, at, cancellationToken));
        }
        await work.CommitAsync(cancellationToken);
        return decisions;
    }

    private async Task<DocumentDecision> ClaimAsync(DbConnection connection, DbTransaction transaction, Core.Storage.DocumentRecord document, TimeSpan window, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var decision = new DocumentDecision(document.Id, document.Type, document.Number, document.IssuingCountry, document.Function, DocumentDecisionKind.New);
        if (document.Number.Length == 0)
        {
            return decision with { Kind = DocumentDecisionKind.NoNumber };
        }
        var key = new
        {
            document.Type, document.Number, Issuer = document.IssuingCountry, Function = document.Function.ToString(), DocumentId = document.Id,
            At = Time.To(at), Cutoff = Time.To(at - window),
        };
        var taken = await connection.ExecuteAsync(new CommandDefinition(dialect.InsertDocumentKeyIfAbsentSql, key, transaction, cancellationToken: cancellationToken)) == 1
            // The first copy is older than the window: this one is a new issue and takes the key over.
            || await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_document_keys SET document_id = @DocumentId, claimed_at = @At " + KeyMatch + " AND claimed_at < @Cutoff",
                key, transaction, cancellationToken: cancellationToken)) == 1;
        if (!taken)
        {
            var first = await connection.QuerySingleAsync<KeyHolder>(new CommandDefinition(HolderSql, key, transaction, cancellationToken: cancellationToken));
            await DocumentRollup.TrackAsync(connection, transaction, "id = @Id", new { document.Id }, () => connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_documents SET state = 'Duplicate', duplicate_of = @First WHERE id = @Id", new { First = first.Id, document.Id }, transaction, cancellationToken: cancellationToken)), cancellationToken);
            return decision with { Kind = DocumentDecisionKind.Duplicate, Other = first.Id, OtherMessageId = first.MessageId };
        }
        if (document.Function is not (DocumentFunction.Replacement or DocumentFunction.Cancellation))
        {
            return decision;
        }
        // The original: the number the document refers to, else its own number, issued as an Original by the same country.
        var originalNumber = document.ReferencedNumber.Length > 0 ? document.ReferencedNumber : document.Number;
        var found = await connection.QuerySingleOrDefaultAsync<KeyHolder>(new CommandDefinition(HolderSql,
            new { document.Type, Number = originalNumber, Issuer = document.IssuingCountry, Function = nameof(DocumentFunction.Original) }, transaction, cancellationToken: cancellationToken));
        if (found is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE hub_documents SET has_warning = 1 WHERE id = @Id", new { document.Id }, transaction, cancellationToken: cancellationToken));
            return decision with { Kind = DocumentDecisionKind.UnknownOriginal, OtherNumber = originalNumber };
        }
        var replaced = document.Function == DocumentFunction.Replacement;
        await DocumentRollup.TrackAsync(connection, transaction, "id = @Id", new { found.Id }, () => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_documents SET state = @State, superseded_by = @By WHERE id = @Id",
            new { State = (replaced ? DocumentState.Replaced : DocumentState.Cancelled).ToString(), By = document.Id, found.Id }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_documents SET supersedes = @Original WHERE id = @Id", new { Original = found.Id, document.Id }, transaction, cancellationToken: cancellationToken));
        return decision with { Kind = replaced ? DocumentDecisionKind.Replaces : DocumentDecisionKind.Cancels, Other = found.Id, OtherMessageId = found.MessageId, OtherNumber = originalNumber };
    }

    private const string KeyMatch = "WHERE document_type = @Type AND document_number = @Number AND issuer = @Issuer AND message_function = @Function";

    private const string HolderSql =
        "SELECT d.id, d.message_id FROM hub_document_keys k JOIN hub_documents d ON d.id = k.document_id " +
        "WHERE k.document_type = @Type AND k.document_number = @Number AND k.issuer = @Issuer AND k.message_function = @Function";

    private sealed class KeyHolder
    {
        public long Id { get; set; }
        public string MessageId { get; set; } = "";
    }
}
