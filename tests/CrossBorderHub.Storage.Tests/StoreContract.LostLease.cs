namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// A processor that lost its lease mid-step (a batch slower than Hub:Processing:Lease) finishes after another instance
/// took the message over and delivered it. Found by the failover test on a loaded machine (load 28, lease 10 s): early
/// messages ended Routed with their only delivery Delivered, stuck for good.
/// </summary>
public abstract partial class StoreContract
{
    [Test]
    public async Task A_late_routing_by_an_instance_that_lost_its_lease_does_not_reopen_a_delivered_message()
    {
        var lease = TimeSpan.FromSeconds(10);
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        Assert.That(await Store.ClaimReceivedAsync("a", T0, lease, 10, CancellationToken.None), Has.Count.EqualTo(1));
        // a is still parsing when its lease runs out: b takes the message, routes it and delivers it.
        Assert.That(await Store.ClaimReceivedAsync("b", T0 + lease + TimeSpan.FromSeconds(1), lease, 10, CancellationToken.None), Has.Count.EqualTo(1), "the lease ran out");
        DeliveryRequest[] deliveries = [new("TH", "x.edi", message.BlobHash, 10, "r")];
        await Outbox.EnqueueAsync(message.Id, deliveries, "routed by b", T0.AddSeconds(12), CancellationToken.None);
        var due = await Outbox.ClaimDueAsync("b", T0.AddSeconds(12), lease, 10, CancellationToken.None);
        await Outbox.RecordAttemptAsync(due.Single(), new AttemptResult(true, true, "ok", T0.AddSeconds(13), null), CancellationToken.None);
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered));

        // a now finishes the same step: the delivery exists (same partner, so no second one), and the message stays done.
        await Outbox.EnqueueAsync(message.Id, deliveries, "routed by a, late", T0.AddSeconds(14), CancellationToken.None);
        Assert.That((await Queries.GetDeliveriesAsync(message.Id, CancellationToken.None)).Select(d => d.State), Is.EqualTo(new[] { DeliveryState.Delivered }));
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered),
            "a late routing set a delivered message back to Routed: with its only delivery done, nothing ever finishes it");
    }
}
