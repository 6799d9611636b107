using CrossBorderHub.Channels.InMemory;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CrossBorderHub.Host.Tests.Pipeline;

/// <summary>
/// A SIGKILL after the CONTRL is recorded but before the original's move to Routed commits leaves the original
/// Received; the next start re-processes it. The real store and processor, run twice on the same message, stand in
/// for "ran up to the kill, then restarted".
/// </summary>
public sealed class CrashBetweenReplyAndRoutingTests
{
    private PipelineHub _hub = null!;

    private ServiceProvider Services => _hub.Services;

    [SetUp]
    public async Task Compose()
    {
        var queue = $"crash-{Guid.NewGuid():N}";
        _hub = await PipelineHub.StartAsync($$"""
            "Partners": {
              "CN": { "Identifiers": [ "CNSW" ], "Validation": "envelope",
                      "Inbound": { "Type": "memory", "Queue": "{{queue}}-in" }, "Outbound": { "Type": "memory", "Queue": "{{queue}}-cn" } },
              "TH": { "Identifiers": [ "THSW" ], "Outbound": { "Type": "memory", "Queue": "{{queue}}-th" } }
            },
            "Routes": [ { "Recipient": "THSW", "To": [ "TH" ] } ]
            """);
    }

    [TearDown]
    public Task Remove() => _hub.DisposeAsync().AsTask();

    [Test]
    public async Task A_kill_between_recording_the_reply_and_routing_the_original_never_makes_a_second_contrl()
    {
        var queries = Services.GetRequiredService<IMessageQueries>();
        var interchange = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFKILL")).Replace("+REFKILL'UNH", "+REFKILL++++1'UNH", StringComparison.Ordinal);
        var accepted = await Services.GetRequiredService<IInboundSink>().AcceptAsync(
            new InboundOrigin("CN", "inbound", "asks-for-contrl.edi"), new MemoryStream(Encoding.ASCII.GetBytes(interchange)), CancellationToken.None);
        var received = (await queries.GetAsync(accepted.MessageId, CancellationToken.None))!;
        var processor = Services.GetRequiredService<MessageProcessor>();

        // First run: the reply is recorded. The restart then processes the same Received row again.
        await processor.ProcessAsync(received, CancellationToken.None);
        await processor.ProcessAsync(received, CancellationToken.None);

        var replies = (await queries.FindAsync(new MessageQuery(), CancellationToken.None))
            .Where(m => m.RelatedMessageId == received.Id && m.SourcePartner == "HUB").ToList();
        Assert.That(replies, Has.Count.EqualTo(1), "one CONTRL per interchange that asked for one");
        Assert.That(await queries.GetDeliveriesAsync(replies[0].Id, CancellationToken.None), Has.Count.EqualTo(1), "the CONTRL has its delivery");
        Assert.That((await queries.GetAsync(received.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed));
        Assert.That(await queries.GetDeliveriesAsync(received.Id, CancellationToken.None), Has.Count.EqualTo(1), "the original has one delivery");
    }
}
