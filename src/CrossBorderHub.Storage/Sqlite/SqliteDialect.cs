using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>The default store: one file, WAL journal, full fsync on commit. One hub instance at a time.</summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect
{
    public override string Name => "Sqlite";

    public override DbConnection CreateConnection() => Open(durable: true);

    // synchronous=NORMAL in WAL mode: a commit is in the log (so it survives a crash of the process) but the log is
    // fsynced by the next FULL commit or checkpoint, which writes the log in order (SqlDialect.CreateDeferredConnection).
    public override DbConnection CreateDeferredConnection()
    {
        StoreBatch.RefuseOwnConnection(this);
        return Open(durable: false);
    }

    // One writer at a time: a pipeline batch in one transaction costs the others nothing they would not wait for anyway.
    public override bool BatchesPipelineWrites => true;

    private SqliteConnection Open(bool durable)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // WAL lets the admin read while the worker writes; synchronous=FULL makes a commit durable before it returns;
        // busy_timeout waits for the CLI or a second connection instead of failing at once. Every open sets the
        // synchronous mode, so a pooled connection never keeps the previous user's.
        pragma.CommandText = durable
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override IReadOnlyList<string> SchemaStatements { get; } = SchemaScript.For(new SchemaSyntax("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "INTEGER", "TEXT"));

    public override string ClaimMessagesSql =>
        """
        UPDATE hub_messages SET lease_owner = @Owner, lease_until = @Until
        WHERE id IN (SELECT id FROM hub_messages WHERE status = 'Received' AND (lease_until IS NULL OR lease_until < @Now)
                     ORDER BY received_at, id LIMIT @Max)
        RETURNING *
        """;

    public override string ClaimDeliveriesSql =>
        """
        UPDATE hub_deliveries SET lease_owner = @Owner, lease_until = @Until
        WHERE id IN (SELECT id FROM hub_deliveries WHERE state = 'Pending' AND next_attempt_at <= @Now
                     AND (lease_until IS NULL OR lease_until < @Now) ORDER BY next_attempt_at, id LIMIT @Max)
        RETURNING *
        """;

    public override string InsertDeliveryIfAbsentSql =>
        """
        INSERT INTO hub_deliveries (message_id, partner, file_name, blob_hash, length, route, state, attempts, next_attempt_at)
        VALUES (@MessageId, @Partner, @FileName, @BlobHash, @Length, @Route, 'Pending', 0, @Now)
        ON CONFLICT (message_id, partner) DO NOTHING
        """;
}
