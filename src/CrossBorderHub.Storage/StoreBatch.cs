using System.Data.Common;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Storage;

/// <summary>
/// The pipeline batches of a dialect that gains by them (<see cref="SqlDialect.BatchesPipelineWrites"/>). Tried on
/// PostgreSQL with one instance: commits per message fell from 13.1 to 0.3 and throughput did not move (132 vs 136
/// msgs/s; the hub's CPU per message is in its ~20 statement round trips, not the commits), so it stays off there.
/// </summary>
public sealed class StoreBatches(SqlDialect dialect) : IStoreBatches
{
    public IStoreBatch Begin() => dialect.BatchesPipelineWrites ? StoreBatch.Open(dialect) : UnbatchedStore.Instance;
}

/// <summary>
/// An open batch: one deferred connection and transaction, found by the stores through the calling flow
/// (<see cref="Work"/>). It starts at its first use; each item is a savepoint.
/// </summary>
internal sealed class StoreBatch : IStoreBatch
{
    private const string ItemSavepoint = "hub_item";

    // The flow's open batch. An AsyncLocal set by a synchronous Open is seen by everything its caller awaits after.
    private static readonly AsyncLocal<StoreBatch?> Ambient = new();

    private readonly SqlDialect _dialect;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _closed;

    // The statistics rollup's changes (DocumentRollup), applied at commit: the open item's, and the kept items'.
    private Dictionary<DocumentRollup.Key, DocumentRollup.Tally> _itemRollup = [];
    private readonly Dictionary<DocumentRollup.Key, DocumentRollup.Tally> _keptRollup = [];
    private bool _inItem;

    /// <summary>While the batch opens its own connection (the one deferred connection its flow may open).</summary>
    internal bool Opening { get; private set; }

    private StoreBatch(SqlDialect dialect) => _dialect = dialect;

    public static StoreBatch Open(SqlDialect dialect)
    {
        var batch = new StoreBatch(dialect);
        Ambient.Value = batch;
        return batch;
    }

    /// <summary>
    /// Refuses a connection of its own for a flow inside a batch (except the batch's): its write would wait for the
    /// batch's locks, which the same flow holds, for good. Stops it at once, by name, instead of hanging.
    /// </summary>
    public static void RefuseOwnConnection(SqlDialect dialect)
    {
        if (Current(dialect) is { Opening: false })
        {
            throw new InvalidOperationException("a store write inside a pipeline batch opened its own connection: use Work.WriteAsync/ReadAsync (StoreBatch.cs)");
        }
    }

    /// <summary>The open batch of this flow over <paramref name="dialect"/>, if any.</summary>
    public static StoreBatch? Current(SqlDialect dialect) =>
        Ambient.Value is { _closed: false } batch && ReferenceEquals(batch._dialect, dialect) ? batch : null;

    /// <summary>The open batch whose connection is <paramref name="connection"/>, if any.</summary>
    public static StoreBatch? On(DbConnection connection) =>
        Ambient.Value is { _closed: false } batch && ReferenceEquals(batch._connection, connection) ? batch : null;

    /// <summary>Rollup changes of the open item (or of the batch, between items), applied at commit unless undone.</summary>
    internal void DeferRollup(Dictionary<DocumentRollup.Key, DocumentRollup.Tally> deltas) =>
        DocumentRollup.Accumulate(_inItem ? _itemRollup : _keptRollup, deltas);

    public async ValueTask<(DbConnection Connection, DbTransaction Transaction)> EnterAsync(CancellationToken cancellationToken)
    {
        if (_transaction is null)
        {
            Opening = true;
            try
            {
                _connection = _dialect.CreateDeferredConnection();
            }
            finally
            {
                Opening = false;
            }
            _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        }
        return (_connection!, _transaction);
    }

    public async Task BeginItemAsync(CancellationToken cancellationToken)
    {
        var (_, transaction) = await EnterAsync(cancellationToken);
        await transaction.SaveAsync(ItemSavepoint, cancellationToken);
        _itemRollup = [];
        _inItem = true;
    }

    public async Task EndItemAsync(bool keep, CancellationToken cancellationToken)
    {
        _inItem = false;
        if (_transaction is null)
        {
            return;
        }
        if (!keep)
        {
            await _transaction.RollbackAsync(ItemSavepoint, cancellationToken);
        }
        await _transaction.ReleaseAsync(ItemSavepoint, cancellationToken);
        if (keep)
        {
            DocumentRollup.Accumulate(_keptRollup, _itemRollup);
        }
        _itemRollup = [];
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await DocumentRollup.ApplyAsync(_connection!, _transaction, _keptRollup, cancellationToken);
            await _transaction.CommitAsync(cancellationToken);
        }
        await CloseAsync();
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async ValueTask CloseAsync()
    {
        _closed = true;
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync(); // rolls back what was not committed
            _transaction = null;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}

/// <summary>
/// The connection (and transaction) of one store call in the pipeline: the open batch's when the calling flow has
/// one, else its own deferred connection (<see cref="SqlDialect.CreateDeferredConnection"/>), committed by
/// <see cref="CommitAsync"/>. Inside a batch, commit and dispose leave the batch's connection to the batch.
/// </summary>
internal sealed class Work : IAsyncDisposable
{
    private readonly bool _owned;

    private Work(DbConnection connection, DbTransaction? transaction, bool owned) => (Connection, Transaction, _owned) = (connection, transaction, owned);

    public DbConnection Connection { get; }

    public DbTransaction? Transaction { get; }

    /// <summary>For writes: a transaction of its own, or the batch's.</summary>
    public static async Task<Work> WriteAsync(SqlDialect dialect, CancellationToken cancellationToken, System.Data.IsolationLevel isolation = System.Data.IsolationLevel.Unspecified)
    {
        if (StoreBatch.Current(dialect) is { } batch)
        {
            var (connection, transaction) = await batch.EnterAsync(cancellationToken);
            return new Work(connection, transaction, owned: false);
        }
        var own = dialect.CreateDeferredConnection();
        var begun = isolation == System.Data.IsolationLevel.Unspecified
            ? await own.BeginTransactionAsync(cancellationToken)
            : await own.BeginTransactionAsync(isolation, cancellationToken);
        return new Work(own, begun, owned: true);
    }

    /// <summary>For reads (and single statements): the batch's connection, which sees its earlier writes, or one of its own.</summary>
    public static async Task<Work> ReadAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (StoreBatch.Current(dialect) is { } batch)
        {
            var (connection, transaction) = await batch.EnterAsync(cancellationToken);
            return new Work(connection, transaction, owned: false);
        }
        return new Work(dialect.CreateDeferredConnection(), null, owned: true);
    }

    /// <summary>Synchronous <see cref="ReadAsync"/>, for the blob store's Stream-returning reads.</summary>
    public static Work Read(SqlDialect dialect) => ReadAsync(dialect, CancellationToken.None).GetAwaiter().GetResult();

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_owned && Transaction is not null)
        {
            await Transaction.CommitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_owned)
        {
            return;
        }
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }
        await Connection.DisposeAsync();
    }
}
