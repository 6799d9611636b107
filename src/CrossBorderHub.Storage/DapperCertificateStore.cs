using CrossBorderHub.Core.Certificates;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The partners' uploaded certificates (hub_certificates) over any <see cref="SqlDialect"/>.</summary>
public sealed class DapperCertificateStore(SqlDialect dialect) : ICertificateStore
{
    private const string Columns = "id, partner, uses, fingerprint, subject, issuer, not_before, not_after, pem, uploaded_at, uploaded_by";

    public async Task<bool> AddAsync(StoredCertificate certificate, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM hub_certificates WHERE partner = @Partner AND fingerprint = @Fingerprint",
            new { certificate.Partner, certificate.Fingerprint }, transaction, cancellationToken: cancellationToken));
        if (exists > 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO hub_certificates ({Columns.Replace("id, ", "", StringComparison.Ordinal)}) VALUES (@Partner, @Uses, @Fingerprint, @Subject, @Issuer, @NotBefore, @NotAfter, @Pem, @UploadedAt, @UploadedBy)",
            new
            {
                certificate.Partner,
                Uses = CertificateUseNames.Format(certificate.Uses),
                certificate.Fingerprint,
                certificate.Subject,
                certificate.Issuer,
                NotBefore = Time.To(certificate.NotBefore),
                NotAfter = Time.To(certificate.NotAfter),
                certificate.Pem,
                UploadedAt = Time.To(certificate.UploadedAt),
                certificate.UploadedBy,
            }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<StoredCertificate>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM hub_certificates ORDER BY not_after, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredCertificate?> RemoveAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM hub_certificates WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_certificates WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.ToRecord();
    }

    private sealed class CertificateRow
    {
        public long Id { get; set; }
        public string Partner { get; set; } = "";
        public string Uses { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Issuer { get; set; } = "";
        public long NotBefore { get; set; }
        public long NotAfter { get; set; }
        public string Pem { get; set; } = "";
        public long UploadedAt { get; set; }
        public string UploadedBy { get; set; } = "";

        public StoredCertificate ToRecord() => new(
            Id, Partner, CertificateUseNames.Parse([Uses]) ?? CertificateUses.None, Fingerprint, Subject, Issuer,
            Time.From(NotBefore), Time.From(NotAfter), Pem, Time.From(UploadedAt), UploadedBy);
    }
}
