using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// <see cref="DeliveryDispatcher"/> built by hand over the real outbox, TH's channel scripted attempt by attempt, time
/// moved by the test: every wait the dispatcher asks for is read back from the delivery row and the next claim.
/// </summary>
public sealed class DeliveryDispatcherTests : BenchTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(25);

    private protected override Task<ProcessingBench> CreateBenchAsync() => ProcessingBench.CreateAsync(options =>
        options.Delivery = new DeliveryOptions { InitialBackoff = Initial, MaxBackoff = Cap, MaxAttempts = 5 });

    /// <summary>TH's channel: owned (and disposed) by the bench's channel registry.</summary>
    private ScriptedOutbound Thailand => Bench.Channels.For("TH");

    private async Task<MessageRecord> RoutedAsync(string reference)
    {
        var message = await Bench.RouteAsync(TestDocuments.Cusdec(reference), name: reference + ".edi");
        Assert.That(message.Status, Is.EqualTo(MessageStatus.Routed), message.Reason);
        return message;
    }

    private Task<int> DispatchAsync() => Bench.Dispatcher.DispatchBatchAsync(10, CancellationToken.None);

    private async Task<DeliveryRecord> DeliveryAsync(string messageId) =>
        (await Bench.Queries.GetDeliveriesAsync(messageId, CancellationToken.None)).Single();

    [Test]
    public async Task A_delivered_attempt_sends_the_stored_bytes_under_the_delivery_name_and_the_message_is_delivered()
    {
        var message = await RoutedAsync("REFSEND");

        await DispatchAsync();

        var (document, content) = Thailand.Attempts.Single();
        Assert.That(document.FileName, Is.EqualTo(DeliveryName.For(message.Id, "REFSEND.edi")));
        Assert.That(content, Is.EqualTo(TestDocuments.Cusdec("REFSEND")));
        Assert.That((document.Headers["message-id"], document.Headers["sender"], document.Headers["document-type"]), Is.EqualTo((message.Id, "CNSW", "CUSDEC")));
        Assert.That((await DeliveryAsync(message.Id)).State, Is.EqualTo(DeliveryState.Delivered));
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.Delivered));
        Assert.That(await Bench.RepliesToAsync(message.Id), Is.Empty, "Aperak: Negative (the default) says nothing about a delivery");
    }

    [Test]
    public async Task Retry_later_waits_the_initial_backoff_then_doubles_it_up_to_the_maximum()
    {
        var message = await RoutedAsync("REFBACKOFF");
        Thailand.Always(SendResult.RetryLater("connection refused"), times: 4);
        var waits = new List<TimeSpan>();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var before = Thailand.Attempts.Count;
            await DispatchAsync();
            Assert.That(Thailand.Attempts, Has.Count.EqualTo(before + 1), $"attempt {attempt} is made once it is due");
            var delivery = await DeliveryAsync(message.Id);
            var wait = delivery.NextAttemptAt - Bench.Time.GetUtcNow();
            waits.Add(wait);
            Assert.That((delivery.State, delivery.Attempts), Is.EqualTo((DeliveryState.Pending, attempt)));

            // Not a moment early: one second before the wait is over, nothing is claimed.
            Bench.Time.Advance(wait - TimeSpan.FromSeconds(1));
            await DispatchAsync();
            Assert.That(Thailand.Attempts, Has.Count.EqualTo(before + 1), $"no attempt {attempt + 1} before its time");
            Bench.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(waits, Is.EqualTo(new[] { Initial, Initial * 2, Cap, Cap }), "10 s, 20 s, then 40 s capped at 25 s");
        await DispatchAsync();
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.Delivered), "the fifth attempt succeeds");
        Assert.That(Thailand.Attempts.Select(a => a.Document.FileName).Distinct().Count(), Is.EqualTo(1), "every attempt uses the same name");
    }

    [Test]
    public async Task The_wait_after_retry_later_is_recorded_in_the_attempt_event()
    {
        var message = await RoutedAsync("REFEVENT");
        Thailand.Then(SendResult.RetryLater("server busy"));

        await DispatchAsync();

        var events = await Bench.Queries.GetEventsAsync(message.Id, CancellationToken.None);
        Assert.That(events.Single(e => e.Kind == "delivery-retry").Detail, Does.Contain("(attempt 1): server busy; retry in 00:00:10"));
    }

    [Test]
    public async Task Retry_later_on_every_attempt_dead_letters_the_message_after_max_attempts()
    {
        var message = await RoutedAsync("REFDEAD");
        Thailand.Always(SendResult.RetryLater("connection refused"));

        for (var attempt = 0; attempt < 7; attempt++)
        {
            await DispatchAsync();
            Bench.Time.Advance(Cap);
        }

        Assert.That(Thailand.Attempts, Has.Count.EqualTo(5), "MaxAttempts = 5, and not one more");
        var delivery = await DeliveryAsync(message.Id);
        Assert.That((delivery.State, delivery.Attempts), Is.EqualTo((DeliveryState.Failed, 5)));
        Assert.That(delivery.LastError, Is.EqualTo("gave up after 5 attempts: connection refused"));
        var dead = await Bench.GetAsync(message.Id);
        Assert.That(dead.Status, Is.EqualTo(MessageStatus.DeadLettered));
        Assert.That(dead.Reason, Is.EqualTo("delivery to TH failed for good: gave up after 5 attempts: connection refused"));
    }

    [Test]
    public async Task Rejected_by_the_partner_is_final_at_once_and_never_retried()
    {
        var message = await RoutedAsync("REFREFUSED");
        Thailand.Always(SendResult.Rejected("550 permission denied"));

        await DispatchAsync();
        Bench.Time.Advance(TimeSpan.FromDays(1));
        await DispatchAsync();

        Assert.That(Thailand.Attempts, Has.Count.EqualTo(1));
        var delivery = await DeliveryAsync(message.Id);
        Assert.That((delivery.State, delivery.Attempts, delivery.LastError), Is.EqualTo((DeliveryState.Failed, 1, "rejected by partner: 550 permission denied")));
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.DeadLettered));
    }

    [Test]
    public async Task A_delivery_that_fails_for_good_sends_the_sender_a_negative_aperak()
    {
        var message = await RoutedAsync("REFNOTDELIV");
        Thailand.Then(SendResult.Rejected("no such mailbox"));

        await DispatchAsync();

        var aperak = (await Bench.RepliesToAsync(message.Id)).Single();
        Assert.That(aperak.DocumentType, Is.EqualTo("APERAK"));
        var back = await DeliveryAsync(aperak.Id);
        await using var content = Bench.Blobs.OpenRead(back.BlobHash);
        // The reason in FTX, its ':' released with '?' as EDIFACT text must be.
        Assert.That(await new StreamReader(content).ReadToEndAsync(), Does.Contain("ERC+NOTDELIV'").And.Contain("FTX+AAO+++TH?: rejected by partner?: no such mailbox'"));
        Assert.That(back.Partner, Is.EqualTo("CN"));
    }

    [Test]
    public async Task An_adapter_that_throws_is_treated_as_retry_later_and_the_next_attempt_can_deliver()
    {
        var message = await RoutedAsync("REFTHROWS");
        Thailand.ThenThrow(new InvalidOperationException("adapter bug: socket was null"));

        await DispatchAsync();

        var delivery = await DeliveryAsync(message.Id);
        Assert.That((delivery.State, delivery.Attempts), Is.EqualTo((DeliveryState.Pending, 1)), "not lost, not dead-lettered");
        Assert.That(delivery.LastError, Is.EqualTo("InvalidOperationException: adapter bug: socket was null; retry in 00:00:10"));
        Assert.That(delivery.NextAttemptAt, Is.EqualTo(Bench.Time.GetUtcNow() + Initial));
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.Routed));

        Bench.Time.Advance(Initial);
        await DispatchAsync();

        Assert.That(Thailand.Attempts, Has.Count.EqualTo(2));
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.Delivered));
    }

    [Test]
    public async Task An_adapter_that_always_throws_dead_letters_after_max_attempts_like_retry_later()
    {
        var message = await RoutedAsync("REFALWAYS");
        for (var i = 0; i < 10; i++)
        {
            Thailand.ThenThrow(new IOException("broken pipe"));
        }

        for (var attempt = 0; attempt < 6; attempt++)
        {
            await DispatchAsync();
            Bench.Time.Advance(Cap);
        }

        Assert.That(Thailand.Attempts, Has.Count.EqualTo(5));
        Assert.That((await DeliveryAsync(message.Id)).LastError, Is.EqualTo("gave up after 5 attempts: IOException: broken pipe"));
        Assert.That((await Bench.GetAsync(message.Id)).Status, Is.EqualTo(MessageStatus.DeadLettered));
    }

    [Test]
    public async Task A_delivery_to_a_partner_without_an_outbound_channel_is_rejected_naming_the_setting_to_add()
    {
        var message = await RoutedAsync("REFNOCHANNEL");
        // The configuration changed after routing: TH lost its outbound channel.
        Bench.Options.Partners["TH"].Outbound = null;

        await DispatchAsync();

        Assert.That((await DeliveryAsync(message.Id)).LastError,
            Is.EqualTo("rejected by partner: partner TH has no outbound channel: add Hub:Partners:TH:Outbound"));
        Assert.That(Thailand.Attempts, Is.Empty);
    }
}
