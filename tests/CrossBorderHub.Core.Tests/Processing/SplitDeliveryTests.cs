using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>A route with SplitMessages, through <see cref="MessageProcessor"/> and <see cref="DeliveryDispatcher"/> built by hand.</summary>
public sealed class SplitDeliveryTests : BenchTests
{
    private protected override Task<ProcessingBench> CreateBenchAsync() => ProcessingBench.CreateAsync(options => options.Routes[0].SplitMessages = true);

    /// <summary>The test CUSDEC with a second message after the first: one interchange, two declarations.</summary>
    private static byte[] TwoDeclarations(string reference)
    {
        var one = Encoding.ASCII.GetString(TestDocuments.Cusdec(reference));
        var unh = one.IndexOf("UNH+1+", StringComparison.Ordinal);
        var unz = one.IndexOf("UNZ+", StringComparison.Ordinal);
        var second = one[unh..unz].Replace("UNH+1+", "UNH+2+", StringComparison.Ordinal).Replace("UNT+7+1'", "UNT+7+2'", StringComparison.Ordinal);
        return Encoding.ASCII.GetBytes(one[..unz] + second + $"UNZ+2+{reference}'\r\n");
    }

    private async Task<string> ContentAsync(DeliveryRecord delivery)
    {
        await using var stream = Bench.Blobs.OpenRead(delivery.BlobHash);
        return await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();
    }

    [Test]
    public async Task Each_message_of_the_interchange_is_queued_as_an_interchange_of_its_own_with_a_stable_name_and_reference()
    {
        var original = await Bench.RouteAsync(TwoDeclarations("REFSPLIT"), name: "two.edi");

        Assert.That(original.Status, Is.EqualTo(MessageStatus.Routed), original.Reason);
        Assert.That(await Bench.Queries.GetDeliveriesAsync(original.Id, CancellationToken.None), Is.Empty, "the parts carry the deliveries");
        var parts = (await Bench.RepliesToAsync(original.Id)).OrderBy(p => p.SourceChannel, StringComparer.Ordinal).ToList();
        Assert.That(parts.Select(p => p.SourceChannel), Is.EqualTo(new[] { "split:TH:1", "split:TH:2" }));
        for (var i = 0; i < parts.Count; i++)
        {
            var delivery = (await Bench.Queries.GetDeliveriesAsync(parts[i].Id, CancellationToken.None)).Single();
            var reference = SplitDelivery.PartReference(original.Id, "TH", i);
            Assert.That(delivery.Partner, Is.EqualTo("TH"));
            Assert.That(delivery.FileName, Is.EqualTo($"{original.Id}-00{i + 1}of002-two.edi"));
            Assert.That(parts[i].ControlReference, Is.EqualTo(reference));
            var text = await ContentAsync(delivery);
            Assert.That(text, Does.Contain($"+{reference}'UNH+{i + 1}+CUSDEC").And.Contain($"UNZ+1+{reference}'"), text);
        }
    }

    [Test]
    public async Task Processing_the_interchange_again_makes_no_second_copy_of_its_parts()
    {
        var received = await Bench.ReceiveAsync(TwoDeclarations("REFSPLIT2"));

        await Bench.Processor.ProcessAsync(received, CancellationToken.None);
        await Bench.Processor.ProcessAsync(received, CancellationToken.None);

        Assert.That(await Bench.RepliesToAsync(received.Id), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_original_is_delivered_once_every_part_is()
    {
        var original = await Bench.RouteAsync(TwoDeclarations("REFSPLIT3"));

        await Bench.Dispatcher.DispatchBatchAsync(10, CancellationToken.None);

        Assert.That(Bench.Channels.For("TH").Attempts, Has.Count.EqualTo(2));
        Assert.That((await Bench.GetAsync(original.Id)).Status, Is.EqualTo(MessageStatus.Delivered));
    }
}
