using System.Data.Common;
using Npgsql;

namespace CrossBorderHub.Storage.Postgres;

/// <summary>PostgreSQL: several hub instances share it; claims use FOR UPDATE SKIP LOCKED so none waits on another.</summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect
{
    public override string Name => "Postgres";

    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override DbConnection CreateConnection()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
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
