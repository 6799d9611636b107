using CrossBorderHub.Core.Storage;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>One document and the documents linked to it, for the admin's document detail (its chain).</summary>
public sealed partial class DapperDocumentStore
{
    public async Task<DocumentRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var row = await connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition(
            "SELECT * FROM hub_documents WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<DocumentRecord>> RelatedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            "SELECT r.* FROM hub_documents r JOIN hub_documents d ON d.id = @Id " +
            "WHERE r.id <> d.id AND (r.duplicate_of = d.id OR r.id = d.duplicate_of OR r.id = d.supersedes OR r.id = d.superseded_by OR r.superseded_by = d.id) ORDER BY r.id",
            new { Id = id }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }
}
