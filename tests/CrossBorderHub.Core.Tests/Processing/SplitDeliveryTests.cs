using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>A route with SplitMessages, through <see cref="MessageProcessor"/> and <see cref="DeliveryDispatcher"/> built by hand.</summary>
public sealed class SplitDeliveryTests
{
    private ProcessingBench _bench = null!;

    [SetUp]
    public async Task Build() => _bench = await ProcessingBench.CreateAsync(options => options.Routes[0].SplitMessages = true);

    [TearDown]
    public async Task Remove() => await _bench.DisposeAsync();

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
        await using var stream = _bench.Blobs.OpenRead(delivery.BlobHash);
        return await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();
    }

    [Test]
    public async Task Each_message_of_the_interchange_is_queued_as_an_interchange_of_its_own_with_a_stable_name_and_reference()
    {
        var original = await _bench.RouteAsync(TwoDeclarations("REFSPLIT"), name: "two.edi");

        Assert.That(original.Status, Is.EqualTo(MessageStatus.Routed), original.Reason);
        Assert.That(await _bench.Queries.GetDeliveriesAsync(original.Id, CancellationToken.None), Is.Empty, "the parts carry the deliveries");
        var parts = (await _bench.RepliesToAsync(original.Id)).OrderBy(p => p.SourceChannel, StringComparer.Ordinal).ToList();
        Assert.That(parts.Select(p => p.SourceChannel), Is.EqualTo(new[] { "split:TH:1", "split:TH:2" }));
        for (var i = 0; i < parts.Count; i++)
        {
            var delivery = (await _bench.Queries.GetDeliveriesAsync(parts[i].Id, CancellationToken.None)).Single();
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
        var received = await _bench.ReceiveAsync(TwoDeclarations("REFSPLIT2"));

        await _bench.Processor.ProcessAsync(received, CancellationToken.None);
        await _bench.Processor.ProcessAsync(received, CancellationToken.None);

        Assert.That(await _bench.RepliesToAsync(received.Id), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_original_is_delivered_once_every_part_is()
    {
        var original = await _bench.RouteAsync(TwoDeclarations("REFSPLIT3"));

        await _bench.Dispatcher.DispatchBatchAsync(10, CancellationToken.None);

        Assert.That(_bench.Channels.For("TH").Attempts, Has.Count.EqualTo(2));
        Assert.That((await _bench.GetAsync(original.Id)).Status, Is.EqualTo(MessageStatus.Delivered));
    }
}
