using System.Collections.Concurrent;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Stands in for the hub's store: keeps every accepted payload; can be told to fail like a full disk.</summary>
public sealed class As2TestSink : IInboundSink
{
    public ConcurrentQueue<(InboundOrigin Origin, byte[] Content)> Accepted { get; } = new();

    public bool Fail { get; set; }

    public async Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new IOException("disk full (test)");
        }
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        Accepted.Enqueue((origin, buffer.ToArray()));
        return new AcceptResult("msg-" + Accepted.Count, false);
    }
}
