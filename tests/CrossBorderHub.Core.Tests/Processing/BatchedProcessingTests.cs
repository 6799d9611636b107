using System.Text;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// Issue 17: a processing batch routes its messages through one store transaction (SQLite). Within it each message
/// must still see the ones before it, and a message that fails is undone alone.
/// </summary>
public sealed class BatchedProcessingTests
{
    [Test]
    public async Task An_interchange_sent_twice_in_one_batch_is_routed_once_and_the_copy_is_a_duplicate()
    {
        await using var bench = await ProcessingBench.CreateAsync();
        var first = await bench.ReceiveAsync(TestDocuments.Cusdec("REFTWICE"), name: "first.edi");
        bench.Time.Advance(TimeSpan.FromSeconds(1)); // claimed in arrival order
        // The same interchange (sender, reference) in other bytes, so intake does not take it for the same file.
        var again = await bench.ReceiveAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestDocuments.Cusdec("REFTWICE")).TrimEnd() + "\n"), name: "again.edi");

        Assert.That(await bench.Processor.ProcessBatchAsync(50, CancellationToken.None), Is.EqualTo(2));

        Assert.That((await bench.GetAsync(first.Id)).Status, Is.EqualTo(MessageStatus.Routed));
        var copy = await bench.GetAsync(again.Id);
        Assert.That(copy.Status, Is.EqualTo(MessageStatus.Duplicate), "the second sees the first's identity, written earlier in the same batch");
        Assert.That(copy.Reason, Does.Contain(first.Id));
    }

    [Test]
    public async Task A_message_whose_routing_fails_is_undone_alone_and_parked_while_the_rest_of_its_batch_is_routed()
    {
        ObservedStore? observed = null;
        await using var bench = await ProcessingBench.CreateAsync(wrapStore: (inner, blobs) => observed = new ObservedStore(inner, blobs));
        var before = await bench.ReceiveAsync(TestDocuments.Cusdec("REFOKAY1"));
        bench.Time.Advance(TimeSpan.FromSeconds(1));
        var broken = await bench.ReceiveAsync(TestDocuments.Cusdec("REFBROKEN"));
        bench.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await bench.ReceiveAsync(TestDocuments.Cusdec("REFOKAY2"));
        observed!.BreakOnReference = "REFBROKEN";

        Assert.That(await bench.Processor.ProcessBatchAsync(50, CancellationToken.None), Is.EqualTo(3));

        Assert.That((await bench.GetAsync(before.Id)).Status, Is.EqualTo(MessageStatus.Routed));
        Assert.That((await bench.GetAsync(after.Id)).Status, Is.EqualTo(MessageStatus.Routed));
        var parked = await bench.GetAsync(broken.Id);
        Assert.That(parked.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(parked.Reason, Does.Contain("test defect on REFBROKEN").And.Contain($"hub replay {broken.Id}"));
        // What its routing wrote before the failure (identity, documents) went with it: a replay starts clean.
        Assert.That(parked.Format, Is.EqualTo(DocumentFormat.Unknown), "its identity was undone with the rest of its routing");
        Assert.That(await bench.Documents.FindAsync(new DocumentQuery(Number: "REFBROKEN"), CancellationToken.None), Is.Empty);
        Assert.That(await bench.Documents.FindAsync(new DocumentQuery(Number: "REFOKAY1"), CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await bench.Documents.FindAsync(new DocumentQuery(Number: "REFOKAY2"), CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_failing_store_undoes_the_whole_batch_and_leaves_every_message_received()
    {
        ObservedStore? observed = null;
        await using var bench = await ProcessingBench.CreateAsync(wrapStore: (inner, blobs) => observed = new ObservedStore(inner, blobs));
        var one = await bench.ReceiveAsync(TestDocuments.Cusdec("REFDOWN1"));
        bench.Time.Advance(TimeSpan.FromSeconds(1)); // claimed first
        var two = await bench.ReceiveAsync(TestDocuments.Cusdec("REFDOWN2"));
        observed!.FaultOnReference = "REFDOWN2";

        Assert.That(async () => await bench.Processor.ProcessBatchAsync(50, CancellationToken.None), Throws.InstanceOf<System.Data.Common.DbException>());

        // The first message's routing was in the same transaction: undone too, so nothing is half-routed.
        Assert.That((await bench.GetAsync(one.Id)).Status, Is.EqualTo(MessageStatus.Received));
        Assert.That((await bench.GetAsync(two.Id)).Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(await bench.Queries.GetDeliveriesAsync(one.Id, CancellationToken.None), Is.Empty);
        Assert.That(await bench.Documents.FindAsync(new DocumentQuery(Number: "REFDOWN1"), CancellationToken.None), Is.Empty);
    }
}
