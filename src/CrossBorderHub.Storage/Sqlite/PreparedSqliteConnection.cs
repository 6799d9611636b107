using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>
/// An open SQLite connection that keeps its prepared statements. Microsoft.Data.Sqlite prepares a command's SQL again
/// for every new command, and Dapper makes a new command for every call: parsing and planning the same few dozen
/// statements was a third of the hub's CPU in the end-to-end benchmark. Here a command hands its SQL to a statement
/// prepared once per connection, and a closed connection goes back to <see cref="SqliteDialect"/>'s own pool with
/// its statements, so the next store call finds them prepared. Every transaction and every write outside one takes
/// its turn at the <see cref="SqliteWriterGate"/> first.
/// </summary>
internal sealed class PreparedSqliteConnection : DbConnection
{
    // Enough for every statement of the pipeline; IN-lists expanded per length would otherwise grow it without end.
    private const int MaxStatements = 96;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);
    private readonly Action<PreparedSqliteConnection>? _giveBack;
    private SqliteWriteTransaction? _transaction;
    private int _rented;
    private bool _closed;

    public PreparedSqliteConnection(SqliteConnection inner, SqliteWriterGate gate, Action<PreparedSqliteConnection>? giveBack)
    {
        Inner = inner;
        Gate = gate;
        _giveBack = giveBack;
    }

    internal SqliteConnection Inner { get; }

    internal SqliteWriterGate Gate { get; }

    /// <summary>The transaction this connection has open, if any (a command outside it would fail in SQLite anyway).</summary>
    internal SqliteWriteTransaction? OpenTransaction => _transaction is { IsOpen: true } open ? open : null;

    /// <summary>Taken back from the pool by a new user.</summary>
    internal void Reopen() => _closed = false;

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => throw new NotSupportedException("a pooled SQLite connection keeps its connection string");
    }

    public override string Database => Inner.Database;

    public override string DataSource => Inner.DataSource;

    public override string ServerVersion => Inner.ServerVersion;

    public override ConnectionState State => _closed ? ConnectionState.Closed : Inner.State;

    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

    public override void Open()
    {
        if (_closed)
        {
            throw new InvalidOperationException("a pooled SQLite connection is not opened again once closed: ask the dialect for a new one");
        }
    }

    public override void Close() => Release();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        var turn = Gate.Enter();
        return Begin(isolationLevel, turn);
    }

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
    {
        var turn = await Gate.EnterAsync(cancellationToken);
        return Begin(isolationLevel, turn);
    }

    private SqliteWriteTransaction Begin(IsolationLevel isolationLevel, SqliteWriterGate.Held turn)
    {
        try
        {
            _transaction = new SqliteWriteTransaction(this, Inner.BeginTransaction(isolationLevel), turn);
            return _transaction;
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    protected override DbCommand CreateDbCommand() => new PreparedSqliteCommand(this);

    /// <summary>A prepared command for <paramref name="sql"/>, this caller's alone until it is handed back.</summary>
    internal SqliteCommand Rent(string sql)
    {
        _rented++;
        if (_idle.Remove(sql, out var prepared))
        {
            return prepared;
        }
        var command = Inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    internal void GiveBack(SqliteCommand command)
    {
        _rented--;
        command.Parameters.Clear();
        command.Transaction = null;
        if (_closed || _idle.Count >= MaxStatements || !_idle.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    /// <summary>Whether the pool may hand this connection to the next user: nothing of this user is left open.</summary>
    internal bool Reusable => Inner.State == ConnectionState.Open && OpenTransaction is null && _rented == 0;

    private void Release()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        if (_giveBack is not null && Reusable)
        {
            _giveBack(this);
            return;
        }
        Destroy();
    }

    /// <summary>Closes it for good: its statements, then the connection (back to Microsoft.Data.Sqlite's pool).</summary>
    internal void Destroy()
    {
        _closed = true;
        foreach (var command in _idle.Values)
        {
            command.Dispose();
        }
        _idle.Clear();
        _transaction?.Dispose();
        Inner.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }
        base.Dispose(disposing);
    }

}
