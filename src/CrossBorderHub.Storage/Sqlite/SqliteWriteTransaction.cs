using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>A transaction of a <see cref="PreparedSqliteConnection"/>: it holds the writer's turn until it ends.</summary>
internal sealed class SqliteWriteTransaction : DbTransaction
{
    private readonly PreparedSqliteConnection _connection;
    private readonly SqliteWriterGate.Held _turn;

    public SqliteWriteTransaction(PreparedSqliteConnection connection, SqliteTransaction inner, SqliteWriterGate.Held turn)
    {
        _connection = connection;
        Inner = inner;
        _turn = turn;
    }

    internal SqliteTransaction Inner { get; }

    internal bool IsOpen { get; private set; } = true;

    protected override DbConnection? DbConnection => IsOpen ? _connection : null;

    public override IsolationLevel IsolationLevel => Inner.IsolationLevel;

    public override bool SupportsSavepoints => true;

    public override void Commit()
    {
        Inner.Commit();
        End();
    }

    public override void Rollback()
    {
        Inner.Rollback();
        End();
    }

    public override void Save(string savepointName) => Inner.Save(savepointName);

    public override void Rollback(string savepointName) => Inner.Rollback(savepointName);

    public override void Release(string savepointName) => Inner.Release(savepointName);

    private void End()
    {
        IsOpen = false;
        _turn.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                Inner.Dispose(); // rolls back what was not committed
            }
            finally
            {
                End();
            }
        }
        base.Dispose(disposing);
    }

}
