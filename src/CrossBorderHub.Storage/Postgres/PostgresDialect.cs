using System.Data.Common;
using Npgsql;

namespace CrossBorderHub.Storage.Postgres;

/// <summary>PostgreSQL: several hub instances share it; claims use FOR UPDATE SKIP LOCKED so none waits on another.</summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect
{
    // The pipeline's bookkeeping commits with synchronous_commit=off: the commit is in PostgreSQL's WAL buffers (no
    // hub crash loses it) and the WAL writer flushes it within ~3 x wal_writer_delay, but the commit no longer waits for
    // that flush. WAL is flushed in order, so the next synchronous commit (intake's rows, a delivery claim: the durable
    // connection, which keeps the server's setting) puts everything before it on disk first
    // (SqlDialect.CreateDeferredConnection; PostgreSQL docs, "Asynchronous Commit"). Set as a startup option, not with
    // SET: a separate pool whose sessions start with it, so no extra round trip per open and no pool reset
    // (DISCARD ALL) can drop it; options already in the connection string are kept.
    private readonly string _deferredConnectionString = WithOption(connectionString, "-c synchronous_commit=off");

    public override string Name => "Postgres";

    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override DbConnection CreateConnection() => Open(connectionString);

    public override DbConnection CreateDeferredConnection()
    {
        StoreBatch.RefuseOwnConnection(this);
        return Open(_deferredConnectionString);
    }

    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static string WithOption(string connectionString, string option)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? option : $"{builder.Options} {option}";
        return builder.ConnectionString;
    }

    public override IReadOnlyList<string> SchemaStatements { get; } = SchemaScript.For(new SchemaSyntax("BIGSERIAL PRIMARY KEY", "TEXT", "BIGINT", "TEXT") { Binary = "BYTEA" });

    // A fixed advisory lock number: two instances starting at once migrate one after the other.
    public override string? LockForMigrationSql => "SELECT pg_advisory_xact_lock(727272)";

    public override string ClaimMessagesSql =>
        """
        UPDATE hub_messages SET lease_owner = @Owner, lease_until = @Until
        WHERE id IN (SELECT id FROM hub_messages WHERE status = 'Received' AND (lease_until IS NULL OR lease_until < @Now)
                     ORDER BY received_at, id LIMIT @Max FOR UPDATE SKIP LOCKED)
        RETURNING *
        """;

    public override string ClaimDeliveriesSql =>
        """
        UPDATE hub_deliveries SET lease_owner = @Owner, lease_until = @Until
        WHERE id IN (SELECT id FROM hub_deliveries WHERE state = 'Pending' AND next_attempt_at <= @Now
                     AND (lease_until IS NULL OR lease_until < @Now) ORDER BY next_attempt_at, id LIMIT @Max FOR UPDATE SKIP LOCKED)
        RETURNING *
        """;

    public override string InsertDeliveryIfAbsentSql =>
        """
        INSERT INTO hub_deliveries (message_id, partner, file_name, blob_hash, length, route, state, attempts, next_attempt_at)
        VALUES (@MessageId, @Partner, @FileName, @BlobHash, @Length, @Route, 'Pending', 0, @Now)
        ON CONFLICT (message_id, partner) DO NOTHING
        """;
}
