namespace CrossBorderHub.Core.Storage;

/// <summary>
/// One transaction for the store writes of a pipeline batch (the processing of fifty messages, the records of fifty
/// deliveries), where the store gains by it: SQLite has one writer at a time anyway, and each commit writes every page
/// it touched to the log, so fifty messages' writes in one commit share their pages instead of each rewriting them.
/// While a batch is open, every store call of the flow that opened it goes through it (and sees its earlier writes);
/// an item's writes are undone alone when the item fails. Where batching does not pay (PostgreSQL instances would
/// queue behind each other's batches on the statistics rows), <see cref="Begin"/> returns a batch that does nothing
/// and every call commits on its own, as before.
/// </summary>
public interface IStoreBatches
{
    /// <summary>Opens a batch for the calling flow; dispose it (after <see cref="IStoreBatch.CommitAsync"/>, or without, to undo).</summary>
    IStoreBatch Begin();
}

/// <summary>An open pipeline batch; see <see cref="IStoreBatches"/>.</summary>
public interface IStoreBatch : IAsyncDisposable
{
    /// <summary>Where one item's writes begin.</summary>
    Task BeginItemAsync(CancellationToken cancellationToken);

    /// <summary>The item is done: its writes stay in the batch (<paramref name="keep"/>) or are undone, the others' kept.</summary>
    Task EndItemAsync(bool keep, CancellationToken cancellationToken);

    /// <summary>Commits every kept item's writes at once.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>The batch of a store that commits every call on its own.</summary>
public sealed class UnbatchedStore : IStoreBatches, IStoreBatch
{
    public static readonly UnbatchedStore Instance = new();

    public IStoreBatch Begin() => this;

    public Task BeginItemAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EndItemAsync(bool keep, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
