using System.Data.Common;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// The real store with a hook in front of <see cref="IMessageStore.RecordReceivedAsync"/>: it sees what the blob store
/// holds at the moment the row is written, and can make the database "unreachable" for that call.
/// </summary>
internal sealed class ObservedStore(IMessageStore inner, IBlobStore blobs) : IMessageStore
{
    /// <summary>For each row written: whether its blob was already stored.</summary>
    public List<bool> BlobStoredBeforeRow { get; } = [];

    public bool Unreachable { get; set; }

    /// <summary>An interchange reference whose duplicate check throws a defect (not a store fault), mid-routing.</summary>
    public string? BreakOnReference { get; set; }

    /// <summary>An interchange reference whose duplicate check finds the database gone (a store fault), mid-batch.</summary>
    public string? FaultOnReference { get; set; }

    public async Task<MessageRecord> RecordReceivedAsync(NewMessage message, DateTimeOffset duplicateSince, CancellationToken cancellationToken)
    {
        BlobStoredBeforeRow.Add(blobs.Exists(message.BlobHash));
        if (Unreachable)
        {
            throw new DatabaseDown();
        }
        return await inner.RecordReceivedAsync(message, duplicateSince, cancellationToken);
    }


    public Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);



    public Task SetIdentityAsync(string id, DocumentIdentity identity, CancellationToken cancellationToken) => inner.SetIdentityAsync(id, identity, cancellationToken);

    public Task TransitionAsync(string id, MessageStatus status, string eventKind, string detail, string? reason, CancellationToken cancellationToken) =>
        inner.TransitionAsync(id, status, eventKind, detail, reason, cancellationToken);

    public Task AddEventAsync(string id, string eventKind, string detail, CancellationToken cancellationToken) => inner.AddEventAsync(id, eventKind, detail, cancellationToken);

    public Task<string?> FindInterchangeAsync(string sender, string controlReference, DateTimeOffset since, string exceptId, CancellationToken cancellationToken) =>
        controlReference == BreakOnReference ? throw new InvalidOperationException($"test defect on {controlReference}")
        : controlReference == FaultOnReference ? throw new DatabaseDown()
        : inner.FindInterchangeAsync(sender, controlReference, since, exceptId, cancellationToken);

    public Task<IReadOnlyList<MessageRecord>> ClaimReceivedAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        inner.ClaimReceivedAsync(owner, now, lease, max, cancellationToken);

    public Task ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseLeasesAsync(owner, cancellationToken);

    public Task ReleaseMessageLeasesAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseMessageLeasesAsync(owner, cancellationToken);


    /// <summary>What Npgsql or SqlClient raise when the server is gone: a database exception that calls itself transient.</summary>
    private sealed class DatabaseDown() : DbException("connection refused (the test stopped the database)")
    {
        public override bool IsTransient => true;
    }
}
