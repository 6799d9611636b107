using CrossBorderHub.Channels.InMemory;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CrossBorderHub.Host.Tests.Pipeline;

/// <summary>
/// The outbox's retry, dead-letter and replay path, with the real store and pipeline and a partner channel that
/// fails a set number of times (a partner's server that is down, then back).
/// </summary>
public sealed class DeadLetterAndReplayTests
{
    private PipelineHub _hub = null!;
    private FlakyChannelFactory _flaky = null!;

    private ServiceProvider Services => _hub.Services;

    private string ConfigFile => _hub.ConfigFile;

    [SetUp]
    public async Task Compose()
    {
        _flaky = new FlakyChannelFactory();
        var queue = $"cn-{Guid.NewGuid():N}";
        _hub = await PipelineHub.StartAsync($$"""
            "Partners": {
              "CN": { "Identifiers": [ "CNSW" ], "Validation": "envelope", "Inbound": { "Type": "memory", "Queue": "{{queue}}" } },
              "TH": { "Identifiers": [ "THSW" ], "Outbound": { "Type": "flaky" } }
            },
            "Routes": [ { "Recipient": "THSW", "To": [ "TH" ] } ],
            "Delivery": { "MaxAttempts": 2, "InitialBackoff": "00:00:00.010", "MaxBackoff": "00:00:00.010" }
            """, services => services.AddSingleton<IChannelFactory>(_flaky));
    }

    [TearDown]
    public async Task Remove()
    {
        await _hub.DisposeAsync();
        await _flaky.DisposeAsync();
    }

    private async Task<string> ReceiveAndDeliverAsync(byte[] content)
    {
        var accepted = await Services.GetRequiredService<IInboundSink>().AcceptAsync(new InboundOrigin("CN", "inbound", "x.edi"), new MemoryStream(content), CancellationToken.None);
        await Services.GetRequiredService<MessageProcessor>().ProcessBatchAsync(10, CancellationToken.None);
        await DrainOutboxAsync();
        return accepted.MessageId;
    }

    private async Task DrainOutboxAsync()
    {
        var dispatcher = Services.GetRequiredService<DeliveryDispatcher>();
        for (var i = 0; i < 20; i++)
        {
            await dispatcher.DispatchBatchAsync(10, CancellationToken.None);
            await Task.Delay(20);
        }
    }

    private Task<MessageRecord?> GetAsync(string id) => Services.GetRequiredService<IMessageQueries>().GetAsync(id, CancellationToken.None);

    [Test]
    public async Task A_partner_that_stays_down_dead_letters_the_message_and_hub_replay_delivers_it_later()
    {
        _flaky.FailuresLeft = 5;
        var id = await ReceiveAndDeliverAsync(TestDocuments.Cusdec("REFDEAD"));
        var dead = await GetAsync(id);
        Assert.That(dead!.Status, Is.EqualTo(MessageStatus.DeadLettered));
        Assert.That(dead.Reason, Does.Contain("gave up after 2 attempts").And.Contain("partner server down"));
        Assert.That(_flaky.Delivered, Is.Empty);

        _flaky.FailuresLeft = 0;
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.That(await CliDispatcher.RunAsync(["replay", id, "--config", ConfigFile], output, error), Is.EqualTo(0), error.ToString());
        Assert.That(output.ToString(), Does.Contain("1 failed deliveries queued again"));
        await DrainOutboxAsync();
        Assert.That((await GetAsync(id))!.Status, Is.EqualTo(MessageStatus.Delivered));
        Assert.That(_flaky.Delivered, Has.Count.EqualTo(1));
        var kinds = (await Services.GetRequiredService<IMessageQueries>().GetEventsAsync(id, CancellationToken.None)).Select(e => e.Kind);
        Assert.That(kinds, Is.EqualTo(new[] { "received", "routed", "delivery-retry", "delivery-failed", "dead-lettered", "replayed", "delivered", "status-delivered" }));
    }

    [Test]
    public async Task A_partner_that_recovers_within_the_attempts_gets_the_message_once()
    {
        _flaky.FailuresLeft = 1;
        var id = await ReceiveAndDeliverAsync(TestDocuments.Cusdec("REFFLAKY"));
        Assert.That((await GetAsync(id))!.Status, Is.EqualTo(MessageStatus.Delivered));
        Assert.That(_flaky.Delivered, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_partner_rejection_is_final_without_retries()
    {
        _flaky.Refuse = true;
        var id = await ReceiveAndDeliverAsync(TestDocuments.Cusdec("REFNO"));
        var message = await GetAsync(id);
        Assert.That(message!.Status, Is.EqualTo(MessageStatus.DeadLettered));
        Assert.That(message.Reason, Does.Contain("rejected by partner"));
        Assert.That(_flaky.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_rejected_message_can_be_replayed_after_the_configuration_is_fixed()
    {
        var id = await ReceiveAndDeliverAsync(TestDocuments.Cusdec("REFLOST", recipient: "LASW"));
        Assert.That((await GetAsync(id))!.Status, Is.EqualTo(MessageStatus.Rejected));
        var error = new StringWriter();
        Assert.That(await CliDispatcher.RunAsync(["replay", id, "--config", ConfigFile], new StringWriter(), error), Is.EqualTo(0), error.ToString());
        Assert.That((await GetAsync(id))!.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(await CliDispatcher.RunAsync(["replay", "no-such-id", "--config", ConfigFile], new StringWriter(), error), Is.EqualTo(1));
    }

    /// <summary>Type "flaky": RetryLater while FailuresLeft > 0, Rejected when Refuse, else keeps the document.</summary>
    private sealed class FlakyChannelFactory : IChannelFactory, IOutboundChannel
    {
        public int FailuresLeft { get; set; }

        public bool Refuse { get; set; }

        public int Attempts { get; private set; }

        public List<string> Delivered { get; } = [];

        public string Type => "flaky";

        public void Validate(ChannelSettings settings, ICollection<string> errors)
        {
        }

        public IInboundChannel CreateInbound(ChannelSettings settings) => throw new NotSupportedException();

        public IOutboundChannel CreateOutbound(ChannelSettings settings) => this;

        public Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
        {
            Attempts++;
            if (Refuse)
            {
                return Task.FromResult(SendResult.Rejected("partner says no"));
            }
            if (FailuresLeft-- > 0)
            {
                return Task.FromResult(SendResult.RetryLater("partner server down"));
            }
            Delivered.Add(document.FileName);
            return Task.FromResult(SendResult.Delivered());
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    // Keeps the in-memory factory referenced: the memory inbound queue of CN is created through it.
    private static readonly Type MemoryFactory = typeof(InMemoryChannelFactory);
}
