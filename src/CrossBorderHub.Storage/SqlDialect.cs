using System.Data.Common;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// What differs between databases: connections, the schema script, and the two "claim with a lease" statements that
/// let several hub instances share one database without processing a row twice. Everything else is portable SQL.
/// Times are stored as Unix milliseconds (bigint) so comparisons behave the same everywhere.
/// </summary>
public abstract class SqlDialect
{
    // Columns are snake_case, rows PascalCase. Set here, not in one store's static constructor, because every store,
    // outbox and query class is built over a dialect: whichever runs a query first, the mapping is already on.
    static SqlDialect() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public abstract string Name { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>
    /// A connection for the pipeline's own bookkeeping (identity, events, transitions, outbox rows, delivery records):
    /// its commits are atomic and survive a process crash at once, but may reach the disk only with the next durable
    /// commit. That next durable commit is always one of the two that gate an action outside the store (intake's row
    /// before a source is removed, a delivery claim before a send: <see cref="CreateConnection"/>), and a write-ahead
    /// log is flushed in order, so everything a send depends on is on disk before the send. See docs/reliability.md,
    /// "Which commits wait for the disk". Databases without such a mode return an ordinary connection.
    /// </summary>
    public virtual DbConnection CreateDeferredConnection() => CreateConnection();

    /// <summary>
    /// Whether the pipeline's batches share one transaction (<see cref="StoreBatches"/>): true where there is one writer
    /// at a time anyway (SQLite), false where instances would queue behind each other's open batches.
    /// </summary>
    public virtual bool BatchesPipelineWrites => false;

    /// <summary>Idempotent schema creation; runs inside a transaction that <see cref="LockForMigrationSql"/> serialises.</summary>
    public abstract IReadOnlyList<string> SchemaStatements { get; }

    /// <summary>Serialises concurrent migrations from several instances (empty when the database does it anyway).</summary>
    public virtual string? LockForMigrationSql => null;

    /// <summary>
    /// "column is one of the list @parameter": Dapper expands a list into one parameter per item, except for Npgsql,
    /// which it hands the list as one array parameter (PostgresDialect says <c>= ANY(@p)</c>).
    /// </summary>
    public virtual string InList(string column, string parameter) => $"{column} IN @{parameter}";

    /// <summary>Row limit clause appended to SELECTs ("LIMIT @limit OFFSET @offset" or the SQL Server form).</summary>
    public virtual string Page => " LIMIT @Limit OFFSET @Offset";

    /// <summary>
    /// "the first row only", appended after an ORDER BY. A literal, not <see cref="Page"/> with @Limit = 1 and
    /// @Offset = 0: on the duplicate lookups of intake and routing, which run once per message inside the SQLite
    /// writer's turn, the bound form took 36-70 us and the literal 11-15 us (Microsoft.Data.Sqlite, a store of 10,000
    /// messages; docs/benchmarks.md). SQLite's parser showed in the profile under the bound form: a LIMIT value is one
    /// the planner uses, so a new binding appears to send the statement back through preparation.
    /// </summary>
    public virtual string FirstRow => " LIMIT 1";

    /// <summary>INSERT of an event row; returns nothing.</summary>
    public const string InsertEvent = "INSERT INTO hub_events (message_id, at, kind, detail) VALUES (@MessageId, @At, @Kind, @Detail)";

    /// <summary>Leases up to @Max messages in status Received whose lease is free or expired; returns them.</summary>
    public abstract string ClaimMessagesSql { get; }

    /// <summary>Leases up to @Max pending deliveries that are due; returns them.</summary>
    public abstract string ClaimDeliveriesSql { get; }

    /// <summary>Inserts a delivery unless one exists for the same message and partner.</summary>
    public abstract string InsertDeliveryIfAbsentSql { get; }

    /// <summary>Takes a business document key unless uq_hub_document_keys already holds it (affects 0 rows then).</summary>
    public virtual string InsertDocumentKeyIfAbsentSql =>
        """
        INSERT INTO hub_document_keys (document_type, document_number, issuer, message_function, document_id, claimed_at)
        VALUES (@Type, @Number, @Issuer, @Function, @DocumentId, @At)
        ON CONFLICT (document_type, document_number, issuer, message_function) DO NOTHING
        """;

    /// <summary>A small payload's one chunk, under its own hash (TieredBlobStore); nothing when the hash is stored.</summary>
    public virtual string InsertInlineBlobChunkSql =>
        """
        INSERT INTO hub_blob_chunks (upload_key, chunk_no, written_at, bytes)
        SELECT @Sha, 0, @Now, @Bytes WHERE NOT EXISTS (SELECT 1 FROM hub_blobs WHERE sha256 = @Sha)
        ON CONFLICT (upload_key, chunk_no) DO NOTHING
        """;

    /// <summary>The row naming a small payload's chunk; nothing when the hash is stored.</summary>
    public virtual string InsertInlineBlobSql =>
        """
        INSERT INTO hub_blobs (sha256, length, chunk_size, upload_key, created_at) VALUES (@Sha, @Length, @Size, @Sha, @Now)
        ON CONFLICT (sha256) DO NOTHING
        """;
}
