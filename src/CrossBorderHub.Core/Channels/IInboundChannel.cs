namespace CrossBorderHub.Core.Channels;

/// <summary>
/// A source the hub polls (folder, SFTP, FTP, queue). One poll hands every ready item to the sink and removes
/// (deletes, moves, acks) an item from its source only after the sink has returned: the bytes are durable by then.
/// </summary>
public interface IInboundChannel : IAsyncDisposable
{
    Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken);
}

/// <summary>Where an inbound channel hands over bytes. Returns only once they are durable.</summary>
public interface IInboundSink
{
    Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Several items at once, each with its own outcome (a result, or the exception its read or store raised): the
    /// intake stores their bytes side by side and records them in one commit, so a batch costs about the fsyncs of
    /// one item. Like <see cref="AcceptAsync"/>, it returns only when every accepted item is durable; an exception
    /// that concerns the whole batch (store unreachable, disk full, cancelled) is thrown and then none is accepted.
    /// </summary>
    async Task<IReadOnlyList<BatchOutcome>> AcceptManyAsync(IReadOnlyList<InboundItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new List<BatchOutcome>(items.Count);
        foreach (var item in items)
        {
            try
            {
                await using var content = item.Open();
                outcomes.Add(new BatchOutcome(await AcceptAsync(item.Origin, content, cancellationToken), null));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // This item's read failed (changed while read, vanished, denied): the others go on.
                outcomes.Add(new BatchOutcome(null, ex));
            }
        }
        return outcomes;
    }
}

/// <summary>One item of a batch: where it came from and how to open its bytes (opened once, by the sink).</summary>
public sealed record InboundItem(InboundOrigin Origin, Func<Stream> Open);

/// <summary>An item's outcome in a batch: stored (<see cref="Result"/>), or not stored because of <see cref="Error"/>.</summary>
public sealed record BatchOutcome(AcceptResult? Result, Exception? Error);

/// <summary>Where the bytes came from: partner, channel, the remote name and any transport headers.</summary>
public sealed record InboundOrigin(
    string Partner,
    string Channel,
    string RemoteName,
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>The stored message id, and whether the store recognised it as a duplicate.</summary>
public sealed record AcceptResult(string MessageId, bool IsDuplicate);

/// <summary>What one poll did: items accepted, items left for a later poll (still being written), items that failed.</summary>
public readonly record struct PollResult(int Accepted, int Deferred, int Failed);
