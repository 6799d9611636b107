using CrossBorderHub.Core.Channels;
using CrossBorderHub.Host.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// <see cref="MessageProcessor"/> built by hand over the real stores: identify, validate, route, reply. Every message
/// enters through <see cref="Intake"/>, as in the hub, so the rows are what a channel would have left.
/// </summary>
public sealed class MessageProcessorTests : BenchTests
{
    /// <summary>A CUSDEC whose UNB asks for a CONTRL (0031 = 1).</summary>
    private static byte[] AskingForContrl(string reference, string recipient = "THSW") => Encoding.ASCII.GetBytes(
        Encoding.ASCII.GetString(TestDocuments.Cusdec(reference, recipient)).Replace($"+{reference}'UNH", $"+{reference}++++1'UNH", StringComparison.Ordinal));

    [Test]
    public async Task An_empty_file_is_rejected_saying_it_is_empty()
    {
        var message = await Bench.RouteAsync([], name: "empty.edi");

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Is.EqualTo("the file is empty (0 bytes): nothing to identify"));
        Assert.That(await Bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_pdf_is_rejected_as_an_unknown_format_naming_what_it_starts_with()
    {
        var message = await Bench.RouteAsync(Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), name: "invoice.pdf");

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Does.StartWith("unknown format: not UN/EDIFACT (no UNA/UNB) and not XML").And.EndWith("'%PDF' (a PDF document)"));
    }

    [Test]
    public async Task Text_of_an_unknown_format_is_rejected_quoting_its_first_characters()
    {
        var message = await Bench.RouteAsync(Encoding.ASCII.GetBytes("number,date\r\n1,2026-11-23\r\n"), name: "list.csv");

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Does.EndWith("starts with 'number,date 1,2'"));
    }

    [Test]
    public async Task Binary_of_an_unknown_format_is_rejected_quoting_its_first_bytes_in_hex()
    {
        var message = await Bench.RouteAsync([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], name: "archive.zip");

        Assert.That(message.Reason, Does.EndWith("starts with bytes 504B03041400"));
    }

    [Test]
    public async Task A_valid_cusdec_is_routed_to_the_route_partner_under_the_message_id_and_the_sender_file_name()
    {
        var message = await Bench.RouteAsync(TestDocuments.Cusdec("REFROUTE"), name: "declaration 7.edi");

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Routed), message.Reason);
        Assert.That((message.Format, message.DocumentType, message.Sender, message.Recipient, message.ControlReference),
            Is.EqualTo((DocumentFormat.Edifact, "CUSDEC", "CNSW", "THSW", "REFROUTE")));
        var delivery = (await Bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None)).Single();
        Assert.That(delivery.Partner, Is.EqualTo("TH"));
        Assert.That(delivery.Route, Is.EqualTo("to-thailand"));
        Assert.That(delivery.FileName, Is.EqualTo($"{message.Id}-declaration 7.edi"));
        Assert.That(delivery.FileName, Is.EqualTo(DeliveryName.For(message.Id, "declaration 7.edi")));
        Assert.That(delivery.BlobHash, Is.EqualTo(message.BlobHash), "a route without steps delivers the bytes received");
        Assert.That(await Bench.RepliesToAsync(message.Id), Is.Empty, "no CONTRL asked for, none wanted by CN, nothing rejected");
    }

    [Test]
    public async Task Processing_the_same_message_again_keeps_its_one_delivery_and_its_name()
    {
        var received = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFAGAIN"), name: "again.edi");
        await Bench.Processor.ProcessAsync(received, CancellationToken.None);
        var first = (await Bench.Queries.GetDeliveriesAsync(received.Id, CancellationToken.None)).Single();

        await Bench.Processor.ProcessAsync(received, CancellationToken.None);

        var deliveries = await Bench.Queries.GetDeliveriesAsync(received.Id, CancellationToken.None);
        Assert.That(deliveries.Select(d => (d.Id, d.Partner, d.FileName)), Is.EqualTo(new[] { (first.Id, "TH", first.FileName) }));
    }

    [Test]
    public async Task A_batch_claims_what_intake_received_and_leaves_nothing_received()
    {
        var one = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFBATCH1"));
        var two = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFBATCH2"));

        var taken = await Bench.Processor.ProcessBatchAsync(10, CancellationToken.None);

        Assert.That(taken, Is.EqualTo(2));
        Assert.That((await Bench.GetAsync(one.Id)).Status, Is.EqualTo(MessageStatus.Routed));
        Assert.That((await Bench.GetAsync(two.Id)).Status, Is.EqualTo(MessageStatus.Routed));
        Assert.That(await Bench.Processor.ProcessBatchAsync(10, CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task An_unroutable_cusdec_is_rejected_naming_what_was_looked_at_and_an_aperak_goes_back_to_the_sender()
    {
        var message = await Bench.RouteAsync(TestDocuments.Cusdec("REFNOWHERE", recipient: "LASW"));

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Does.StartWith("no route matches source partner CN, sender 'CNSW', recipient 'LASW', document type 'CUSDEC'")
            .And.EndWith("add a route under Hub:Routes"));
        Assert.That(await Bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None), Is.Empty);
        var aperak = (await Bench.RepliesToAsync(message.Id)).Single();
        Assert.That((aperak.DocumentType, aperak.Status, aperak.Recipient), Is.EqualTo(("APERAK", MessageStatus.Routed, "CNSW")));
        var back = (await Bench.Queries.GetDeliveriesAsync(aperak.Id, CancellationToken.None)).Single();
        Assert.That(back.Partner, Is.EqualTo("CN"), "the APERAK goes back through the sender's outbound channel");
        await using var content = Bench.Blobs.OpenRead(back.BlobHash);
        var text = await new StreamReader(content, Encoding.ASCII).ReadToEndAsync();
        Assert.That(text, Does.Contain("UNB+UNOC:3+XBHUB+CNSW+").And.Contain("APERAK:D:96B:UN").And.Contain("NOROUTE"));
    }

    [Test]
    public async Task An_unroutable_cusdec_from_a_partner_without_an_outbound_channel_is_rejected_without_an_aperak()
    {
        var message = await Bench.RouteAsync(TestDocuments.Cusdec("REFSILENT", recipient: "LASW", sender: "XXSW"), partner: "XX");

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Does.StartWith("no route matches source partner XX"));
        Assert.That(await Bench.RepliesToAsync(message.Id), Is.Empty, "there is no way back to XX");
    }

    [Test]
    public async Task Processing_an_unroutable_message_again_makes_no_second_aperak()
    {
        var received = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFNOROUTE2", recipient: "LASW"));

        await Bench.Processor.ProcessAsync(received, CancellationToken.None);
        await Bench.Processor.ProcessAsync(received, CancellationToken.None);

        Assert.That(await Bench.RepliesToAsync(received.Id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_cusdec_asking_for_a_contrl_gets_one_queued_to_the_sender_and_is_routed()
    {
        var message = await Bench.RouteAsync(AskingForContrl("REFCONTRL"));

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Routed), message.Reason);
        var contrl = (await Bench.RepliesToAsync(message.Id)).Single();
        Assert.That(contrl.DocumentType, Is.EqualTo("CONTRL"));
        Assert.That((await Bench.Queries.GetDeliveriesAsync(contrl.Id, CancellationToken.None)).Single().Partner, Is.EqualTo("CN"));
        Assert.That(await Bench.EventKindsAsync(message.Id), Does.Contain("acknowledgement-sent"));
    }

    [Test]
    public async Task Running_process_again_on_the_same_message_makes_no_second_contrl()
    {
        var received = await Bench.ReceiveAsync(AskingForContrl("REFRERUN"));

        await Bench.Processor.ProcessAsync(received, CancellationToken.None);
        await Bench.Processor.ProcessAsync(received, CancellationToken.None);

        var replies = await Bench.RepliesToAsync(received.Id);
        Assert.That(replies, Has.Count.EqualTo(1), "one CONTRL per interchange that asked for one");
        Assert.That(await Bench.Queries.GetDeliveriesAsync(replies[0].Id, CancellationToken.None), Has.Count.EqualTo(1), "and one delivery of it");
        Assert.That((await Bench.EventKindsAsync(received.Id)).Count(k => k == "acknowledgement-sent"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_interchange_received_twice_under_other_bytes_is_a_duplicate_naming_the_first()
    {
        var first = await Bench.RouteAsync(TestDocuments.Cusdec("REFSAME"), name: "first.edi");
        // The same sender and reference, other bytes (a trailing line break): intake cannot tell, processing can.
        var again = await Bench.RouteAsync([.. TestDocuments.Cusdec("REFSAME"), (byte)'\n'], name: "again.edi");

        Assert.That(again.Status, Is.EqualTo(MessageStatus.Duplicate));
        Assert.That(again.Reason, Is.EqualTo($"interchange REFSAME from CNSW was already received as message {first.Id}: not delivered again"));
        Assert.That(await Bench.Queries.GetDeliveriesAsync(again.Id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task An_invalid_envelope_is_rejected_and_answered_with_a_contrl()
    {
        // UNZ counts 2 messages where there is 1: an envelope error at the "envelope" level CN is validated at.
        var broken = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestDocuments.Cusdec("REFBROKEN")).Replace("UNZ+1+", "UNZ+2+", StringComparison.Ordinal));

        var message = await Bench.RouteAsync(broken);

        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Does.StartWith("1 error(s); first:"));
        Assert.That(await Bench.EventKindsAsync(message.Id), Does.Contain("error"));
        Assert.That((await Bench.RepliesToAsync(message.Id)).Single().DocumentType, Is.EqualTo("CONTRL"), "a rejected interchange is answered");
        Assert.That(await Bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_failure_inside_processing_parks_the_message_rejected_with_the_replay_command_and_the_batch_goes_on()
    {
        // A route step no transformer handles (the bench registers none): a bug, not bad input.
        Bench.Options.Routes.Insert(0, new RouteOptions { Name = "mapped", Sender = "CNSW", DocumentType = "CUSDEC", Recipient = "THSW", To = ["TH"], Mapping = "cusdec-to-th" });
        var parked = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFBUG"));
        var next = await Bench.ReceiveAsync(TestDocuments.Cusdec("REFNEXT", recipient: "LASW"));

        Assert.That(await Bench.Processor.ProcessBatchAsync(10, CancellationToken.None), Is.EqualTo(2));

        var message = await Bench.GetAsync(parked.Id);
        Assert.That(message.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(message.Reason, Is.EqualTo(
            $"unexpected error while processing (no transformer handles step 'map:cusdec-to-th' of mapped); fix the cause, then run 'hub replay {parked.Id}'"));
        Assert.That((await Bench.GetAsync(next.Id)).Status, Is.EqualTo(MessageStatus.Rejected), "the next message of the batch was still processed");
    }
}
