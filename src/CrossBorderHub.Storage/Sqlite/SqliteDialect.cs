using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>The default store: one file, WAL journal, full fsync on commit. One hub instance at a time.</summary>
/// <remarks>
/// Its connections are <see cref="PreparedSqliteConnection"/>s from a pool of its own (one per durability, since each
/// keeps its synchronous mode), so a store call finds its statements prepared; <c>Pooling=False</c> in the connection
/// string turns that pool off as it does Microsoft.Data.Sqlite's. Writers take turns at one
/// <see cref="SqliteWriterGate"/> per database.
/// </remarks>
public sealed class SqliteDialect : SqlDialect, IDisposable
{
    // More than the pipeline's loops and the admin ever hold at once; a connection beyond it is closed on return.
    private const int IdlePerPool = 8;

    private readonly string _connectionString;
    private readonly bool _pooled;
    private readonly SqliteWriterGate _gate = new();
    private readonly ConcurrentBag<PreparedSqliteConnection> _durable = [];
    private readonly ConcurrentBag<PreparedSqliteConnection> _deferred = [];
    private bool _disposed;

    public SqliteDialect(string connectionString)
    {
        _connectionString = connectionString;
        _pooled = new SqliteConnectionStringBuilder(connectionString).Pooling;
    }

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

    private PreparedSqliteConnection Open(bool durable)
    {
        var pool = durable ? _durable : _deferred;
        if (_pooled && pool.TryTake(out var pooled))
        {
            pooled.Reopen();
            return pooled;
        }
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // WAL lets the admin read while the worker writes; synchronous=FULL makes a commit durable before it returns;
            // busy_timeout waits for the CLI or a second connection instead of failing at once. Each pool keeps its
            // synchronous mode, so a connection never carries another user's.
            pragma.CommandText = durable
                ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
            pragma.ExecuteNonQuery();
        }
        return new PreparedSqliteConnection(connection, _gate, _pooled ? closed => GiveBack(pool, closed) : null);
    }

    private void GiveBack(ConcurrentBag<PreparedSqliteConnection> pool, PreparedSqliteConnection connection)
    {
        if (Volatile.Read(ref _disposed) || pool.Count >= IdlePerPool)
        {
            connection.Destroy();
            return;
        }
        pool.Add(connection);
    }

    /// <summary>Closes the idle connections (the host's container calls it at shutdown).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var pool in new[] { _durable, _deferred })
        {
            while (pool.TryTake(out var connection))
            {
                connection.Destroy();
            }
        }
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
