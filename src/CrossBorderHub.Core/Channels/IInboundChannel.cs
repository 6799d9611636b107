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
}

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
