using System.Collections.Concurrent;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// An outbound channel whose answers the test writes down in advance: each attempt takes the next step of the script
/// (a result, or an exception thrown as a buggy adapter would); with the script used up it delivers. It reads every
/// document it is given, so a delivery whose blob is missing fails here as it would on a real transport.
/// </summary>
internal sealed class ScriptedOutbound : IOutboundChannel
{
    private readonly ConcurrentQueue<Func<SendResult>> _script = new();

    public List<(OutboundDocument Document, byte[] Content)> Attempts { get; } = [];

    public ScriptedOutbound Then(SendResult result)
    {
        _script.Enqueue(() => result);
        return this;
    }

    public ScriptedOutbound ThenThrow(Exception exception)
    {
        _script.Enqueue(() => throw exception);
        return this;
    }

    /// <summary>Answers <paramref name="result"/> to the next <paramref name="times"/> attempts.</summary>
    public ScriptedOutbound Always(SendResult result, int times = 100)
    {
        for (var i = 0; i < times; i++)
        {
            Then(result);
        }
        return this;
    }

    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        await using (var stream = await document.OpenContent(cancellationToken))
        {
            await stream.CopyToAsync(content, cancellationToken);
        }
        Attempts.Add((document, content.ToArray()));
        return _script.TryDequeue(out var next) ? next() : SendResult.Delivered("scripted");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The "scripted" channel type: one <see cref="ScriptedOutbound"/> per partner, made on first use.</summary>
internal sealed class ScriptedChannelFactory : IChannelFactory
{
    public const string TypeName = "scripted";

    private readonly ConcurrentDictionary<string, ScriptedOutbound> _outbound = new(StringComparer.OrdinalIgnoreCase);

    public string Type => TypeName;

    public ScriptedOutbound For(string partner) => _outbound.GetOrAdd(partner, _ => new ScriptedOutbound());

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
    }

    public IInboundChannel CreateInbound(ChannelSettings settings) =>
        throw new NotSupportedException("the scripted channel only sends: intake is driven by the test");

    public IOutboundChannel CreateOutbound(ChannelSettings settings) => For(settings.Partner);
}
