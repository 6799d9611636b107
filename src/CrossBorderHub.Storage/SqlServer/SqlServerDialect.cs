using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace CrossBorderHub.Storage.SqlServer;

/// <summary>SQL Server: claims use READPAST + UPDLOCK so instances skip each other's rows. Tested when HUB_TEST_SQLSERVER is set.</summary>
public sealed class SqlServerDialect(string connectionString) : SqlDialect
{
    public override string Name => "SqlServer";

    public override DbConnection CreateConnection()
    {
        var connection = new SqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    public override IReadOnlyList<string> SchemaStatements { get; } = SchemaScript.For(new SchemaSyntax("BIGINT IDENTITY(1,1) PRIMARY KEY", "NVARCHAR(450)", "BIGINT", "NVARCHAR(MAX)")
    {
        Binary = "VARBINARY(MAX)",
        // SQL Server has no "IF NOT EXISTS" on CREATE TABLE/INDEX.
        CreateTable = (name, body) => $"IF OBJECT_ID(N'{name}') IS NULL CREATE TABLE {name} ({body})",
        CreateIndex = (index, table, columns) => $"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = '{index}') CREATE INDEX {index} ON {table} ({columns})",
    });

    public override string? LockForMigrationSql => "EXEC sp_getapplock @Resource = 'hub_migrate', @LockMode = 'Exclusive', @LockOwner = 'Transaction'";

    public override string Page => " ORDER BY (SELECT NULL) OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY";

    // After the query's own ORDER BY, which SQL Server's OFFSET needs.
    public override string FirstRow => " OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY";

    public override string ClaimMessagesSql =>
        """
        UPDATE TOP (@Max) hub_messages WITH (UPDLOCK, READPAST) SET lease_owner = @Owner, lease_until = @Until
        OUTPUT inserted.*
        WHERE status = 'Received' AND (lease_until IS NULL OR lease_until < @Now)
        """;

    public override string ClaimDeliveriesSql =>
        """
        UPDATE TOP (@Max) hub_deliveries WITH (UPDLOCK, READPAST) SET lease_owner = @Owner, lease_until = @Until
        OUTPUT inserted.*
        WHERE state = 'Pending' AND next_attempt_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
        """;

    public override string InsertDeliveryIfAbsentSql =>
        """
        IF NOT EXISTS (SELECT 1 FROM hub_deliveries WHERE message_id = @MessageId AND partner = @Partner)
        INSERT INTO hub_deliveries (message_id, partner, file_name, blob_hash, length, route, state, attempts, next_attempt_at)
        VALUES (@MessageId, @Partner, @FileName, @BlobHash, @Length, @Route, 'Pending', 0, @Now)
        """;

    // HOLDLOCK makes the existence check and the insert one step; the UNIQUE constraint stays the backstop.
    public override string InsertDocumentKeyIfAbsentSql =>
        """
        INSERT INTO hub_document_keys (document_type, document_number, issuer, message_function, document_id, claimed_at)
        SELECT @Type, @Number, @Issuer, @Function, @DocumentId, @At
        WHERE NOT EXISTS (SELECT 1 FROM hub_document_keys WITH (UPDLOCK, HOLDLOCK)
                          WHERE document_type = @Type AND document_number = @Number AND issuer = @Issuer AND message_function = @Function)
        """;

    public override string InsertInlineBlobChunkSql =>
        """
        IF NOT EXISTS (SELECT 1 FROM hub_blobs WHERE sha256 = @Sha) AND NOT EXISTS (SELECT 1 FROM hub_blob_chunks WHERE upload_key = @Sha AND chunk_no = 0)
        INSERT INTO hub_blob_chunks (upload_key, chunk_no, written_at, bytes) VALUES (@Sha, 0, @Now, @Bytes)
        """;

    public override string InsertInlineBlobSql =>
        """
        IF NOT EXISTS (SELECT 1 FROM hub_blobs WHERE sha256 = @Sha)
        INSERT INTO hub_blobs (sha256, length, chunk_size, upload_key, created_at) VALUES (@Sha, @Length, @Size, @Sha, @Now)
        """;
}
