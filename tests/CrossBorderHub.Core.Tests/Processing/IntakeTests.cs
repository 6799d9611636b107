using System.Security.Cryptography;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary><see cref="Intake"/> on its own: blob first, then the row, then the answer the channel waits for.</summary>
public sealed class IntakeTests : BenchTests
{
    private ObservedStore _store = null!;

    private protected override Task<ProcessingBench> CreateBenchAsync() =>
        ProcessingBench.CreateAsync(wrapStore: (real, blobs) => _store = new ObservedStore(real, blobs));

    [Test]
    public async Task The_bytes_are_in_the_blob_store_before_the_row_is_written_and_the_channel_is_answered()
    {
        var content = TestDocuments.Cusdec("REFINTAKE");

        var accepted = await Bench.Intake.AcceptAsync(new InboundOrigin("CN", "inbound", "a.edi"), new MemoryStream(content), CancellationToken.None);

        Assert.That(_store.BlobStoredBeforeRow, Is.EqualTo(new[] { true }), "the row is written only once its blob is stored");
        var message = await Bench.GetAsync(accepted.MessageId);
        Assert.That(message.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(accepted.IsDuplicate, Is.False);
        Assert.That(message.BlobHash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))));
        Assert.That((message.Length, message.SourcePartner, message.SourceChannel, message.RemoteName), Is.EqualTo((content.LongLength, "CN", "inbound", "a.edi")));
        await using var stored = Bench.Blobs.OpenRead(message.BlobHash);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(content), "the stored bytes are the bytes received");
    }

    [Test]
    public async Task An_unreachable_store_is_an_exception_so_the_channel_keeps_its_source_and_the_blob_waits_for_the_retry()
    {
        var content = TestDocuments.Cusdec("REFDOWN");
        _store.Unreachable = true;

        var failure = Assert.ThrowsAsync<StoreUnavailableException>(() =>
            Bench.Intake.AcceptAsync(new InboundOrigin("CN", "inbound", "down.edi"), new MemoryStream(content), CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("message store is unreachable"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.That(Bench.Blobs.Exists(hash), Is.True, "the blob was stored first");
        _store.Unreachable = false;
        var retried = await Bench.Intake.AcceptAsync(new InboundOrigin("CN", "inbound", "down.edi"), new MemoryStream(content), CancellationToken.None);
        Assert.That((await Bench.GetAsync(retried.MessageId)).Status, Is.EqualTo(MessageStatus.Received), "the retry is the first row, not a duplicate");
    }

    [Test]
    public async Task The_same_bytes_again_from_the_same_channel_are_recorded_as_a_duplicate_of_the_first()
    {
        var content = TestDocuments.Cusdec("REFTWICE");
        var first = await Bench.ReceiveAsync(content, name: "first.edi");
        Bench.Time.Advance(TimeSpan.FromMinutes(5));

        var accepted = await Bench.Intake.AcceptAsync(new InboundOrigin("CN", "inbound", "again.edi"), new MemoryStream(content), CancellationToken.None);

        Assert.That(accepted.IsDuplicate, Is.True);
        Assert.That(accepted.MessageId, Is.Not.EqualTo(first.Id), "the duplicate is recorded as a message of its own");
        var duplicate = await Bench.GetAsync(accepted.MessageId);
        Assert.That(duplicate.Status, Is.EqualTo(MessageStatus.Duplicate));
        Assert.That(duplicate.Reason, Does.Contain(first.Id));
        Assert.That((await Bench.GetAsync(first.Id)).Status, Is.EqualTo(MessageStatus.Received), "the first stays to be processed");
    }

    [Test]
    public async Task The_same_bytes_from_another_partner_or_channel_are_not_a_duplicate()
    {
        var content = TestDocuments.Cusdec("REFOTHER");
        await Bench.ReceiveAsync(content);

        var otherChannel = await Bench.ReceiveAsync(content, channel: "as2");
        var otherPartner = await Bench.ReceiveAsync(content, partner: "XX");

        Assert.That(otherChannel.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(otherPartner.Status, Is.EqualTo(MessageStatus.Received));
    }

    [Test]
    public async Task The_same_bytes_after_the_duplicate_window_are_received_again()
    {
        var content = Encoding.ASCII.GetBytes("a monthly report with the same bytes every time");
        await Bench.ReceiveAsync(content);
        Bench.Time.Advance(Bench.Options.Processing.DuplicateWindow + TimeSpan.FromMinutes(1));

        var later = await Bench.ReceiveAsync(content);

        Assert.That(later.Status, Is.EqualTo(MessageStatus.Received));
    }

    [Test]
    public async Task Transport_headers_are_kept_as_an_event_of_the_message()
    {
        var headers = new Dictionary<string, string> { ["AS2-From"] = "CNSW", ["Message-ID"] = "<1@cn>" };

        var accepted = await Bench.Intake.AcceptAsync(new InboundOrigin("CN", "as2", "h.edi", headers), new MemoryStream(TestDocuments.Cusdec("REFHEAD")), CancellationToken.None);

        var events = await Bench.Queries.GetEventsAsync(accepted.MessageId, CancellationToken.None);
        Assert.That(events.Single(e => e.Kind == "transport-headers").Detail, Is.EqualTo("AS2-From=CNSW; Message-ID=<1@cn>"));
    }
}
