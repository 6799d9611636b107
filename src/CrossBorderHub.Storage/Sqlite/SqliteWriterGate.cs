using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Storage.Sqlite;

/// <summary>
/// SQLite lets one connection write at a time, and every transaction the hub opens takes the write lock at BEGIN
/// (Microsoft.Data.Sqlite begins IMMEDIATE). Left to SQLite, the hub's own writers (intake, the processing batch, the
/// delivery records) met in its busy handler, which sleeps 1, 2, 5 ... 100 ms and tries again: the lock stood free
/// while they slept, and the delivery loop fell behind the others. Here they queue in the process instead and the
/// next one starts as soon as the previous one ends. Other processes (the CLI, a second hub by mistake) still meet
/// the hub in SQLite's busy handler, as before.
/// </summary>
// A SemaphoreSlim needs disposing only once its AvailableWaitHandle was asked for, which this one never is; disposing
// it at shutdown would fail a writer still finishing instead.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "see the comment above")]
internal sealed class SqliteWriterGate
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>As long as SQLite's own busy wait and retries would have gone on; then the same "database is locked".</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async ValueTask<Held> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _writer.WaitAsync(Timeout, cancellationToken))
        {
            throw Locked();
        }
        return new Held(_writer);
    }

    public Held Enter()
    {
        if (!_writer.Wait(Timeout))
        {
            throw Locked();
        }
        return new Held(_writer);
    }

    // SQLITE_BUSY: transient, so the pipeline treats it as the store being unavailable for a moment, as before.
    private static SqliteException Locked() => new(
        $"database is locked: another writer of this hub held it for {Timeout.TotalSeconds:F0} s (a store call inside an open transaction that opened a connection of its own waits for itself)", 5);

    /// <summary>The write turn of one transaction or statement; released once, however often it is disposed.</summary>
    public sealed class Held(SemaphoreSlim writer) : IDisposable
    {
        private SemaphoreSlim? _writer = writer;

        public void Dispose() => Interlocked.Exchange(ref _writer, null)?.Release();
    }
}
