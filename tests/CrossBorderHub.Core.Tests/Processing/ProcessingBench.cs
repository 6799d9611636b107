using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Storage;
using CrossBorderHub.Storage.Blobs;
using CrossBorderHub.Storage.Sqlite;
using CrossBorderHub.Xml.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// The pipeline's classes built by hand, as the host's composition root builds them, over a real SQLite store and
/// file blob store in a temp folder, with time the test moves. Partners: CN (CNSW, answers go back to it), TH
/// (THSW, the route's destination) and XX (XXSW, sends only: no outbound channel). One route: recipient THSW to TH.
/// The outbound channels are <see cref="ScriptedOutbound"/>: the test says what each attempt returns.
/// </summary>
internal sealed class ProcessingBench : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder;
    private readonly ChannelRegistry _registry;

    private ProcessingBench(string folder, HubOptions options, SqlDialect dialect, FileBlobStore blobs, IMessageStore store, FakeTimeProvider time)
    {
        _folder = folder;
        Time = time;
        Options = options;
        Blobs = blobs;
        Store = store;
        Outbox = new DapperOutbox(dialect);
        // As the hub runs on SQLite: a batch's writes in one transaction.
        Batches = new StoreBatches(dialect);
        Queries = new DapperMessageQueries(dialect);
        Documents = new DapperDocumentStore(dialect);
        _registry = new ChannelRegistry([Channels], options, new ChannelContext(folder, Time, NullLoggerFactory.Instance));
        Replies = new ReplyQueue(Store, Outbox, Blobs, options, Time, NullLogger<ReplyQueue>.Instance);
        Aperaks = new ApplicationAcknowledgements(Store, Blobs, Replies, options, Time);
        Intake = new Intake(Blobs, Store, options, Time, new ProcessingSignal(Time), new IntakePause(Time, NullLogger<IntakePause>.Instance),
            new StoreOutage(Time, NullLogger<StoreOutage>.Instance), NullLogger<Intake>.Instance);
        Processor = new MessageProcessor(Store, Outbox, Blobs, Replies, Aperaks,
            [new EdifactInspector(options, Time), new XmlInspector(options, Time, NullLogger<XmlInspector>.Instance)], [],
            options, Time, NullLogger<MessageProcessor>.Instance, Documents, batches: Batches);
        Dispatcher = new DeliveryDispatcher(Outbox, Store, Blobs, _registry, Aperaks, options, Time, NullLogger<DeliveryDispatcher>.Instance, batches: Batches);
    }

    public FakeTimeProvider Time { get; }

    public IStoreBatches Batches { get; }

    public DapperDocumentStore Documents { get; }

    public HubOptions Options { get; }

    public FileBlobStore Blobs { get; }

    public IMessageStore Store { get; }

    public IOutbox Outbox { get; }

    /// <summary>The admin's read side of the same store.</summary>
    public IMessageQueries Queries { get; }

    public ScriptedChannelFactory Channels { get; } = new();

    public ReplyQueue Replies { get; }

    public ApplicationAcknowledgements Aperaks { get; }

    public Intake Intake { get; }

    public MessageProcessor Processor { get; }

    public DeliveryDispatcher Dispatcher { get; }

    /// <param name="wrapStore">Puts a decorator around the real store (to watch or break it); identity when null.</param>
    public static async Task<ProcessingBench> CreateAsync(Action<HubOptions>? configure = null, Func<IMessageStore, IBlobStore, IMessageStore>? wrapStore = null)
    {
        var folder = Directory.CreateTempSubdirectory("hub-processing-").FullName;
        var options = Configure(folder);
        configure?.Invoke(options);
        // No pooling: every connection is closed when the test ends, so the folder can be deleted at once.
        var dialect = new SqliteDialect($"Data Source={Path.Combine(folder, "hub.db")};Pooling=False");
        var time = new FakeTimeProvider(Start);
        var real = new DapperMessageStore(dialect, time);
        await new StoreSchema(dialect).MigrateAsync(CancellationToken.None);
        var blobs = new FileBlobStore(Path.Combine(folder, "blobs"));
        return new ProcessingBench(folder, options, dialect, blobs, wrapStore?.Invoke(real, blobs) ?? real, time);
    }

    private static HubOptions Configure(string folder)
    {
        var channels = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CN:Outbound:Type"] = ScriptedChannelFactory.TypeName,
            ["TH:Outbound:Type"] = ScriptedChannelFactory.TypeName,
        }).Build();
        return new HubOptions
        {
            DataRoot = folder,
            InstanceName = "bench",
            Processing = new ProcessingOptions { SchemasPath = Path.Combine(XmlSamples.RepositoryRoot, "schemas") },
            Partners =
            {
                ["CN"] = new PartnerOptions { Identifiers = ["CNSW"], Validation = "envelope", Outbound = channels.GetSection("CN:Outbound") },
                ["TH"] = new PartnerOptions { Identifiers = ["THSW"], Outbound = channels.GetSection("TH:Outbound") },
                ["XX"] = new PartnerOptions { Identifiers = ["XXSW"], Validation = "envelope" },
            },
            Routes = { new RouteOptions { Name = "to-thailand", Recipient = "THSW", To = ["TH"] } },
        };
    }

    /// <summary>Hands <paramref name="content"/> to intake as the partner's inbound channel would.</summary>
    public async Task<MessageRecord> ReceiveAsync(byte[] content, string partner = "CN", string name = "in.edi", string channel = "inbound")
    {
        var accepted = await Intake.AcceptAsync(new InboundOrigin(partner, channel, name), new MemoryStream(content, writable: false), CancellationToken.None);
        return await GetAsync(accepted.MessageId);
    }

    /// <summary>Receives and processes one document: what the pipeline does before delivery.</summary>
    public async Task<MessageRecord> RouteAsync(byte[] content, string partner = "CN", string name = "in.edi")
    {
        var received = await ReceiveAsync(content, partner, name);
        await Processor.ProcessAsync(received, CancellationToken.None);
        return await GetAsync(received.Id);
    }

    public async Task<MessageRecord> GetAsync(string id) =>
        await Store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"message {id} is not in the store");

    /// <summary>The hub's own messages (CONTRL, APERAK) that answer <paramref name="original"/>.</summary>
    public async Task<IReadOnlyList<MessageRecord>> RepliesToAsync(string original) =>
        (await Queries.FindAsync(new MessageQuery { Limit = 1000 }, CancellationToken.None))
        .Where(m => m.RelatedMessageId == original && m.SourcePartner == "HUB").ToList();

    public async Task<IReadOnlyList<string>> EventKindsAsync(string id) =>
        (await Queries.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Kind).ToList();

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
