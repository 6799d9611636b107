using CrossBorderHub.Channels.InMemory;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CrossBorderHub.Host.Tests.Pipeline;

/// <summary>
/// The acknowledgements a partner's agreement asks for: a receipt (CONTRL action 8), partial acceptance (the valid
/// messages delivered, the CONTRL rejecting only the bad ones), and APERAKs from routing and delivery. The real store,
/// processor and dispatcher, with in-memory partner channels (and one destination that refuses every document).
/// </summary>
public sealed class AcknowledgementPolicyTests
{
    private string _folder = "";
    private string _queue = "";
    private PipelineHub? _hub;

    private InMemoryQueue ToCn => Memory.Queue(_queue + "-cn");

    private InMemoryQueue ToTh => Memory.Queue(_queue + "-th");

    /// <summary>The hub's own in-memory factory: its queues are the ones the hub's channels write to.</summary>
    private InMemoryChannelFactory Memory => _hub!.Services.GetServices<IChannelFactory>().OfType<InMemoryChannelFactory>().Single();

    [SetUp]
    public void Folder()
    {
        _folder = Directory.CreateTempSubdirectory("hub-acks-").FullName;
        _queue = $"acks-{Guid.NewGuid():N}";
    }

    [TearDown]
    public async Task Remove()
    {
        if (_hub is not null)
        {
            await _hub.StopAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    /// <param name="cnSettings">Extra JSON properties of partner CN (the sender), e.g. "PartialAcceptance": true.</param>
    private async Task ComposeAsync(string cnSettings = "", string validation = "codes")
    {
        _hub = await PipelineHub.StartAsync($$"""
            "Partners": {
              "CN": { "Identifiers": [ "CNSW" ], "Validation": "{{validation}}", {{cnSettings}}
                      "Inbound": { "Type": "memory", "Queue": "{{_queue}}-in" }, "Outbound": { "Type": "memory", "Queue": "{{_queue}}-cn" } },
              "TH": { "Identifiers": [ "THSW" ], "Outbound": { "Type": "memory", "Queue": "{{_queue}}-th" } },
              "VN": { "Identifiers": [ "VNSW" ], "Outbound": { "Type": "refusing" } }
            },
            "Routes": [ { "Recipient": "THSW", "To": [ "TH" ] }, { "Recipient": "VNSW", "To": [ "VN" ] } ]
            """, services => services.AddSingleton<IChannelFactory, RefusingChannelFactory>(), _folder);
    }

    private async Task<string> ReceiveAndDeliverAsync(string interchange)
    {
        var accepted = await _hub!.Services.GetRequiredService<IInboundSink>().AcceptAsync(
            new InboundOrigin("CN", "inbound", "in.edi"), new MemoryStream(Encoding.ASCII.GetBytes(interchange)), CancellationToken.None);
        await _hub!.Services.GetRequiredService<MessageProcessor>().ProcessBatchAsync(10, CancellationToken.None);
        var dispatcher = _hub!.Services.GetRequiredService<DeliveryDispatcher>();
        while (await dispatcher.DispatchBatchAsync(10, CancellationToken.None) > 0)
        {
        }
        return accepted.MessageId;
    }

    private static string Text(KeyValuePair<string, byte[]> document) => Encoding.ASCII.GetString(document.Value);

    private static string Message(int number, string bgmCode = "830") =>
        $"UNH+{number}+CUSDEC:D:96B:UN'BGM+{bgmCode}+DOC{number}+9'DTM+137:20261123:102'" +
        $"NAD+DT+++Shenzhen Export Co?+ Ltd+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'UNT+7+{number}'";

    private static string Interchange(string reference, string recipient, params string[] messages) =>
        $"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+{recipient}:ZZ+261123:1200+{reference}'{string.Concat(messages)}UNZ+{messages.Length}+{reference}'";

    private async Task<IReadOnlyList<MessageRecord>> RepliesToAsync(string id) =>
        (await _hub!.Services.GetRequiredService<IMessageQueries>().FindAsync(new MessageQuery(), CancellationToken.None))
            .Where(m => m.RelatedMessageId == id && m.SourcePartner == "HUB").ToList();

    [Test]
    public async Task A_sender_asking_for_an_indication_of_receipt_gets_a_contrl_with_action_8_and_no_message_report()
    {
        await ComposeAsync(validation: "envelope");
        // Syntax 4, UNB 0031 = 2: "indication of receipt" (an 8-digit date, as syntax 4 wants).
        var id = await ReceiveAndDeliverAsync(
            $"UNA:+.? 'UNB+UNOC:4+CNSW:ZZ+THSW:ZZ+20261123:1200+REFRCPT++++2'{Message(1)}UNZ+1+REFRCPT'");

        Assert.That((await _hub!.Services.GetRequiredService<IMessageQueries>().GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered));
        var contrl = Text(ToCn.Snapshot().Single());
        Assert.That(contrl, Does.Contain("UCI+REFRCPT+CNSW:ZZ+THSW:ZZ+8'").And.Not.Contain("UCM"));
    }

    [Test]
    public async Task A_partner_with_receipt_only_gets_action_8_where_it_asks_with_0031_1_and_a_full_report_when_rejected()
    {
        await ComposeAsync("\"ReceiptOnly\": true,");
        await ReceiveAndDeliverAsync($"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+REFRO1++++1'{Message(1)}UNZ+1+REFRO1'");
        await ReceiveAndDeliverAsync(Interchange("REFRO2", "THSW", Message(1, bgmCode: "999")));

        var contrls = ToCn.Snapshot().Select(Text).ToList();
        Assert.That(contrls, Has.Count.EqualTo(2));
        Assert.That(contrls.Single(c => c.Contains("UCI+REFRO1", StringComparison.Ordinal)), Does.Contain("UCI+REFRO1+CNSW:ZZ+THSW:ZZ+8'").And.Not.Contain("UCM"));
        Assert.That(contrls.Single(c => c.Contains("UCI+REFRO2", StringComparison.Ordinal)), Does.Contain("UCI+REFRO2+CNSW:ZZ+THSW:ZZ+4'").And.Contain("UCM+1+CUSDEC:D:96B:UN+4"));
    }

    [Test]
    public async Task A_three_message_interchange_with_one_bad_message_from_a_partner_with_partial_acceptance_delivers_two_and_the_contrl_rejects_exactly_the_bad_one()
    {
        await ComposeAsync("\"PartialAcceptance\": true,");
        var id = await ReceiveAndDeliverAsync(Interchange("REFPART", "THSW", Message(1), Message(2, bgmCode: "999"), Message(3)));

        var delivered = Text(ToTh.Snapshot().Single());
        Assert.That(delivered, Does.Contain("UNH+1+").And.Contain("UNH+3+").And.Not.Contain("UNH+2+").And.Contain("UNZ+2+REFPART'"));
        var deliveredFile = Path.Combine(_folder, "delivered.edi");
        await File.WriteAllTextAsync(deliveredFile, delivered);
        var error = new StringWriter();
        Assert.That(await CliDispatcher.RunAsync(["validate", deliveredFile], new StringWriter(), error), Is.EqualTo(0), "the cut interchange is valid: " + error);

        var contrl = Text(ToCn.Snapshot().Single());
        Assert.That(contrl, Does.Contain("UCI+REFPART+CNSW:ZZ+THSW:ZZ+7'"));
        Assert.That(contrl, Does.Contain("UCM+1+CUSDEC:D:96B:UN+7'").And.Contain("UCM+2+CUSDEC:D:96B:UN+4'").And.Contain("UCM+3+CUSDEC:D:96B:UN+7'"));
        var store = _hub!.Services.GetRequiredService<IMessageQueries>();
        Assert.That((await store.GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered));
        var events = await store.GetEventsAsync(id, CancellationToken.None);
        Assert.That(events.Single(e => e.Kind == "partially-accepted").Detail, Does.StartWith("2 message(s) accepted").And.Contain("rejected: 2"));
        Assert.That(await RepliesToAsync(id), Has.Count.EqualTo(1), "the CONTRL correlates to the original");
    }

    [Test]
    public async Task Partial_acceptance_of_an_interchange_over_1000_messages_rejects_it_whole_rather_than_cut_the_wrong_messages()
    {
        await ComposeAsync("\"PartialAcceptance\": true,");
        // Validation keeps detail for the first 1,000 messages and those with findings: with #1,001 good and #1,002 bad,
        // the finding's index (1,000 in the kept list) is not the bad message's place in the file (1,001).
        var messages = Enumerable.Range(1, 1003).Select(n => Message(n, bgmCode: n == 1002 ? "999" : "830")).ToArray();
        var id = await ReceiveAndDeliverAsync(Interchange("REFMANY", "THSW", messages));

        Assert.That(ToTh.Snapshot(), Is.Empty);
        Assert.That((await _hub!.Services.GetRequiredService<IMessageQueries>().GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Rejected));
    }

    [Test]
    public async Task Without_partial_acceptance_one_bad_message_still_rejects_the_whole_interchange()
    {
        await ComposeAsync();
        var id = await ReceiveAndDeliverAsync(Interchange("REFWHOLE", "THSW", Message(1), Message(2, bgmCode: "999"), Message(3)));

        Assert.That(ToTh.Snapshot(), Is.Empty);
        Assert.That((await _hub!.Services.GetRequiredService<IMessageQueries>().GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(Text(ToCn.Snapshot().Single()), Does.Contain("UCI+REFWHOLE+CNSW:ZZ+THSW:ZZ+4"));
    }

    [Test]
    public async Task A_message_that_cannot_be_routed_is_answered_with_a_negative_aperak_that_names_the_original()
    {
        await ComposeAsync();
        var id = await ReceiveAndDeliverAsync(Interchange("REFNOWAY", "LASW", Message(7)));

        var aperak = Text(ToCn.Snapshot().Single());
        Assert.That(aperak, Does.Contain("UNB+UNOC:3+XBHUB+CNSW+").And.Contain("APERAK:D:96B:UN").And.Contain("+RE'"));
        Assert.That(aperak, Does.Contain("RFF+ACW:7'").And.Contain("RFF+ACE:REFNOWAY'").And.Contain("ERC+NOROUTE'"));
        var replies = await RepliesToAsync(id);
        Assert.That(replies.Single().DocumentType, Is.EqualTo("APERAK"));
        var check = Path.Combine(_folder, "aperak.edi");
        await File.WriteAllTextAsync(check, aperak);
        var error = new StringWriter();
        Assert.That(await CliDispatcher.RunAsync(["validate", check], new StringWriter(), error), Is.EqualTo(0), "the APERAK is valid D.96B: " + error);
    }

    [Test]
    public async Task A_message_the_destination_rejects_is_answered_with_a_negative_aperak_naming_the_destination()
    {
        await ComposeAsync();
        var id = await ReceiveAndDeliverAsync(Interchange("REFREFUSED", "VNSW", Message(1)));

        Assert.That((await _hub!.Services.GetRequiredService<IMessageQueries>().GetAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.DeadLettered));
        var aperak = Text(ToCn.Snapshot().Single());
        Assert.That(aperak, Does.Contain("ERC+NOTDELIV'").And.Contain("VN?: rejected by partner"));
        Assert.That(await RepliesToAsync(id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_positive_aperak_goes_out_on_delivery_only_when_the_partner_asks_for_all()
    {
        await ComposeAsync();
        await ReceiveAndDeliverAsync(Interchange("REFQUIET", "THSW", Message(1)));
        Assert.That(ToCn.Snapshot(), Is.Empty, "Aperak: Negative (the default) sends nothing for a delivered message");
        await _hub!.StopAsync();
        _hub = null;
        Directory.Delete(Path.Combine(_folder, "data"), recursive: true);

        await ComposeAsync("\"Aperak\": \"All\",");
        var id = await ReceiveAndDeliverAsync(Interchange("REFLOUD", "THSW", Message(1)));
        var aperak = Text(ToCn.Snapshot().Single());
        Assert.That(aperak, Does.Contain("+AP'").And.Contain("RFF+ACE:REFLOUD'").And.Not.Contain("ERC+"));
        Assert.That((await RepliesToAsync(id)).Single().DocumentType, Is.EqualTo("APERAK"));
    }

    /// <summary>Type "refusing": a destination that rejects every document (SendResult.Rejected).</summary>
    private sealed class RefusingChannelFactory : IChannelFactory, IOutboundChannel
    {
        public string Type => "refusing";

        public void Validate(ChannelSettings settings, ICollection<string> errors)
        {
        }

        public IInboundChannel CreateInbound(ChannelSettings settings) => throw new NotSupportedException();

        public IOutboundChannel CreateOutbound(ChannelSettings settings) => this;

        public Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken) =>
            Task.FromResult(SendResult.Rejected("not accepted here"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
