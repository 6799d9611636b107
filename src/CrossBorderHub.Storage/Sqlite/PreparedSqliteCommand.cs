using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>
/// A command of a <see cref="PreparedSqliteConnection"/>: it keeps its own parameters (Dapper expands an IN-list by
/// rewriting the text after adding them) and, to run, borrows the connection's prepared statement for its final text.
/// A write outside a transaction takes the writer's turn for as long as it runs (a reader until it is disposed).
/// </summary>
internal sealed class PreparedSqliteCommand(PreparedSqliteConnection connection) : DbCommand
{
    private readonly OwnParameters _parameters = new();
    private SqliteCommand? _running;
    private SqliteWriterGate.Held? _turn;
    private string _text = "";
    private SqliteWriteTransaction? _transaction;

    [AllowNull]
    public override string CommandText
    {
        get => _text;
        set => _text = value ?? "";
    }

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs SQL text only", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set
        {
            if (!ReferenceEquals(value, connection))
            {
                throw new NotSupportedException("a prepared SQLite command stays with the connection that made it");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set => _transaction = value switch
        {
            null => null,
            SqliteWriteTransaction own => own,
            _ => throw new ArgumentException("the transaction of another kind of connection", nameof(value)),
        };
    }

    public override void Cancel() => _running?.Cancel();

    public override void Prepare()
    {
        // Prepared on first use and kept by the connection.
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    public override int ExecuteNonQuery()
    {
        var command = Start(Gate(sync: true));
        try
        {
            return command.ExecuteNonQuery();
        }
        finally
        {
            Finish();
        }
    }

    public override object? ExecuteScalar()
    {
        var command = Start(Gate(sync: true));
        try
        {
            return command.ExecuteScalar();
        }
        finally
        {
            Finish();
        }
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var command = Start(Gate(sync: true));
        try
        {
            // Finished when this command is disposed: the statement is the reader's until then (Dapper disposes the
            // reader first).
            return command.ExecuteReader(behavior);
        }
        catch
        {
            Finish();
            throw;
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        var command = Start(await GateAsync(cancellationToken));
        try
        {
            return command.ExecuteNonQuery(); // SQLite has no asynchronous I/O: Microsoft.Data.Sqlite runs it inline too
        }
        finally
        {
            Finish();
        }
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        var command = Start(await GateAsync(cancellationToken));
        try
        {
            return command.ExecuteScalar();
        }
        finally
        {
            Finish();
        }
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var command = Start(await GateAsync(cancellationToken));
        try
        {
            return command.ExecuteReader(behavior);
        }
        catch
        {
            Finish();
            throw;
        }
    }

    /// <summary>A statement outside a transaction that may write waits for the writer's turn; reads never do (WAL).</summary>
    private bool NeedsTurn => _transaction is null && connection.OpenTransaction is null && !IsRead(_text);

    private SqliteWriterGate.Held? Gate(bool sync) => sync && NeedsTurn ? connection.Gate.Enter() : null;

    private async ValueTask<SqliteWriterGate.Held?> GateAsync(CancellationToken cancellationToken) =>
        NeedsTurn ? await connection.Gate.EnterAsync(cancellationToken) : null;

    private static bool IsRead(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase);
    }

    private SqliteCommand Start(SqliteWriterGate.Held? turn)
    {
        Finish(); // a command run twice: the first run's statement goes back first
        _turn = turn;
        try
        {
            var command = connection.Rent(_text);
            _running = command;
            command.Transaction = _transaction?.Inner;
            command.CommandTimeout = CommandTimeout;
            foreach (SqliteParameter parameter in _parameters)
            {
                command.Parameters.Add(parameter);
            }
            return command;
        }
        catch
        {
            Finish();
            throw;
        }
    }

    private void Finish()
    {
        if (_running is { } command)
        {
            _running = null;
            connection.GiveBack(command);
        }
        _turn?.Dispose();
        _turn = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
        }
        base.Dispose(disposing);
    }

    /// <summary>Microsoft.Data.Sqlite's collection, with a constructor of our own (its own is for its commands).</summary>
    private sealed class OwnParameters : SqliteParameterCollection;
}
