namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// What every message store dialect must do. Each database runs the same tests through a one-line subclass
/// (DapperLib/Dapper's TestBase idea): SqliteStoreTests, PostgresStoreTests, SqlServerStoreTests.
/// </summary>
public abstract partial class StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private int _sequence;

    protected IMessageStore Store { get; private set; } = null!;

    protected IOutbox Outbox { get; private set; } = null!;

    /// <summary>The read side over the same database: what the admin and `hub messages` see of what Store and Outbox wrote.</summary>
    protected IMessageQueries Queries { get; private set; } = null!;

    private StoreSchema _schema = null!;

    /// <summary>A dialect on an empty database of its own.</summary>
    protected abstract Task<SqlDialect> CreateDialectAsync();

    [SetUp]
    public async Task CreateStore()
    {
        var dialect = await CreateDialectAsync();
        Store = new DapperMessageStore(dialect, TimeProvider.System);
        Outbox = new DapperOutbox(dialect);
        Queries = new DapperMessageQueries(dialect);
        _schema = new StoreSchema(dialect);
        await _schema.MigrateAsync(CancellationToken.None);
    }

    private NewMessage New(string hash = "aa", string partner = "CN", string channel = "inbound", DateTimeOffset? at = null, bool outgoing = false) =>
        new($"m{Interlocked.Increment(ref _sequence):D4}-{Guid.NewGuid():N}", at ?? T0, partner, channel, "file.edi", hash.PadRight(64, '0'), 10, Outgoing: outgoing);

    [Test]
    public async Task Migrating_again_keeps_the_data()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await _schema.MigrateAsync(CancellationToken.None);
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))?.Status, Is.EqualTo(MessageStatus.Received));
    }

    [Test]
    public async Task A_received_message_is_stored_with_an_event()
    {
        var message = await Store.RecordReceivedAsync(New("ab"), T0.AddDays(-1), CancellationToken.None);
        var read = await Store.GetAsync(message.Id, CancellationToken.None);
        Assert.That(read, Is.Not.Null);
        Assert.That(await Queries.GetAsync(message.Id, CancellationToken.None), Is.EqualTo(read), "the pipeline and the admin read the same row");
        Assert.That(read!.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(read.BlobHash, Is.EqualTo("ab".PadRight(64, '0')));
        Assert.That(read.ReceivedAt, Is.EqualTo(T0));
        var events = await Queries.GetEventsAsync(message.Id, CancellationToken.None);
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { "received" }));
    }

    [Test]
    public async Task The_same_bytes_from_the_same_channel_within_the_window_are_a_duplicate()
    {
        var first = await Store.RecordReceivedAsync(New("cc"), T0.AddDays(-1), CancellationToken.None);
        var second = await Store.RecordReceivedAsync(New("cc", at: T0.AddMinutes(1)), T0.AddDays(-1), CancellationToken.None);
        var otherChannel = await Store.RecordReceivedAsync(New("cc", partner: "TH", at: T0.AddMinutes(2)), T0.AddDays(-1), CancellationToken.None);
        var afterWindow = await Store.RecordReceivedAsync(New("cc", at: T0.AddDays(40)), T0.AddDays(10), CancellationToken.None);
        Assert.That(first.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(second.Status, Is.EqualTo(MessageStatus.Duplicate));
        Assert.That(second.Reason, Does.Contain(first.Id));
        Assert.That(otherChannel.Status, Is.EqualTo(MessageStatus.Received));
        Assert.That(afterWindow.Status, Is.EqualTo(MessageStatus.Received));
    }

    [Test]
    public async Task An_outgoing_document_starts_routed_and_is_never_a_duplicate()
    {
        await Store.RecordReceivedAsync(New("dd", partner: "HUB", channel: "contrl", outgoing: true), T0.AddDays(-1), CancellationToken.None);
        var again = await Store.RecordReceivedAsync(New("dd", partner: "HUB", channel: "contrl", outgoing: true), T0.AddDays(-1), CancellationToken.None);
        Assert.That(again.Status, Is.EqualTo(MessageStatus.Routed));
        var claimed = await Store.ClaimReceivedAsync("a", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(claimed, Is.Empty);
    }

    [Test]
    public async Task A_transition_changes_status_and_reason_and_appends_an_event()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await Store.TransitionAsync(message.Id, MessageStatus.Rejected, "rejected", "bad UNB", "bad UNB: fix it", CancellationToken.None);
        var read = await Store.GetAsync(message.Id, CancellationToken.None);
        Assert.That(read!.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(read.Reason, Is.EqualTo("bad UNB: fix it"));
        var events = await Queries.GetEventsAsync(message.Id, CancellationToken.None);
        Assert.That(events.Select(e => (e.Kind, e.Detail)), Is.EqualTo(new[] { ("received", events[0].Detail), ("rejected", "bad UNB") }));
    }

    [Test]
    public async Task Identity_is_stored_and_searchable()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        var other = await Store.RecordReceivedAsync(New("ee", partner: "TH"), T0.AddDays(-1), CancellationToken.None);
        await Store.SetIdentityAsync(message.Id, new DocumentIdentity
        {
            Format = DocumentFormat.Edifact, DocumentType = "CUSDEC", Sender = "CNSW", Recipient = "THSW", ControlReference = "REF77", IsTest = true,
        }, CancellationToken.None);
        var read = await Store.GetAsync(message.Id, CancellationToken.None);
        Assert.That((read!.Format, read.DocumentType, read.Sender, read.Recipient, read.ControlReference, read.IsTest),
            Is.EqualTo((DocumentFormat.Edifact, "CUSDEC", "CNSW", "THSW", "REF77", true)));
        Assert.That((await Queries.FindAsync(new MessageQuery { Text = "REF77" }, CancellationToken.None)).Select(m => m.Id), Is.EqualTo(new[] { message.Id }));
        Assert.That((await Queries.FindAsync(new MessageQuery { DocumentType = "CUSDEC" }, CancellationToken.None)).Select(m => m.Id), Is.EqualTo(new[] { message.Id }));
        Assert.That((await Queries.FindAsync(new MessageQuery { Partner = "TH" }, CancellationToken.None)).Select(m => m.Id), Is.EqualTo(new[] { other.Id }));
        Assert.That((await Queries.FindAsync(new MessageQuery { Status = MessageStatus.Received }, CancellationToken.None)), Has.Count.EqualTo(2));
        Assert.That((await Queries.FindAsync(new MessageQuery { Limit = 1 }, CancellationToken.None)), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Search_text_with_percent_underscore_backslash_or_bracket_matches_literally_not_as_a_wildcard()
    {
        var references = new[] { "Q%Z", "QxZ", "Q_Z", "Q\\Z", "Q[Z]", "QZ" }; // no hex letters: ids hold a GUID
        var ids = new Dictionary<string, string>();
        foreach (var reference in references)
        {
            var message = await Store.RecordReceivedAsync(New(Guid.NewGuid().ToString("N")[..8]), T0.AddDays(-1), CancellationToken.None);
            await Store.SetIdentityAsync(message.Id, new DocumentIdentity { Format = DocumentFormat.Edifact, ControlReference = reference }, CancellationToken.None);
            ids[reference] = message.Id;
        }
        foreach (var reference in references)
        {
            var found = await Queries.FindAsync(new MessageQuery { Text = reference }, CancellationToken.None);
            Assert.That(found.Select(m => m.Id), Is.EqualTo(new[] { ids[reference] }), $"search {reference}");
        }
        Assert.That(await Queries.FindAsync(new MessageQuery { Text = "%" }, CancellationToken.None), Has.Count.EqualTo(1), "a lone % is a character, not 'everything'");
    }

    [Test]
    public async Task An_earlier_interchange_is_found_by_sender_and_reference()
    {
        var first = await Store.RecordReceivedAsync(New("f1"), T0.AddDays(-1), CancellationToken.None);
        var second = await Store.RecordReceivedAsync(New("f2"), T0.AddDays(-1), CancellationToken.None);
        foreach (var id in new[] { first.Id, second.Id })
        {
            await Store.SetIdentityAsync(id, new DocumentIdentity { Format = DocumentFormat.Edifact, Sender = "CNSW", ControlReference = "R1" }, CancellationToken.None);
        }
        // While the first is still only Received it does not count: it may yet be rejected.
        Assert.That(await Store.FindInterchangeAsync("CNSW", "R1", T0.AddDays(-1), second.Id, CancellationToken.None), Is.Null);
        await Outbox.EnqueueAsync(first.Id, [], "routed", T0, CancellationToken.None);
        Assert.That(await Store.FindInterchangeAsync("CNSW", "R1", T0.AddDays(-1), second.Id, CancellationToken.None), Is.EqualTo(first.Id));
        Assert.That(await Store.FindInterchangeAsync("CNSW", "R1", T0.AddDays(-1), first.Id, CancellationToken.None), Is.Null);
        Assert.That(await Store.FindInterchangeAsync("CNSW", "R1", T0.AddHours(1), second.Id, CancellationToken.None), Is.Null);
        Assert.That(await Store.FindInterchangeAsync("THSW", "R1", T0.AddDays(-1), second.Id, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Claims_lease_messages_to_one_owner_until_the_lease_expires_or_is_released()
    {
        var messages = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            messages.Add((await Store.RecordReceivedAsync(New($"c{i}", at: T0.AddSeconds(i)), T0.AddDays(-1), CancellationToken.None)).Id);
        }
        var first = await Store.ClaimReceivedAsync("a", T0, TimeSpan.FromMinutes(1), 3, CancellationToken.None);
        var second = await Store.ClaimReceivedAsync("b", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(first.Select(m => m.Id), Is.EqualTo(messages.Take(3)));
        Assert.That(second.Select(m => m.Id), Is.EqualTo(messages.Skip(3)));
        Assert.That(await Store.ClaimReceivedAsync("c", T0.AddSeconds(30), TimeSpan.FromMinutes(1), 10, CancellationToken.None), Is.Empty);
        Assert.That(await Store.ClaimReceivedAsync("c", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 10, CancellationToken.None), Has.Count.EqualTo(5));
        await Store.ReleaseLeasesAsync("c", CancellationToken.None);
        Assert.That(await Store.ClaimReceivedAsync("d", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 10, CancellationToken.None), Has.Count.EqualTo(5));
    }

    [Test]
    public async Task After_a_failed_batch_an_instance_frees_only_its_own_leases_of_that_kind()
    {
        var messages = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            messages.Add((await Store.RecordReceivedAsync(New($"rl{i}", at: T0.AddSeconds(i)), T0.AddDays(-1), CancellationToken.None)).Id);
        }
        var routed = await Store.RecordReceivedAsync(New("rl9", at: T0.AddSeconds(9)), T0.AddDays(-1), CancellationToken.None);
        await Outbox.EnqueueAsync(routed.Id, [new DeliveryRequest("TH", "x.edi", routed.BlobHash, 10, "r")], "routed", T0, CancellationToken.None);
        Assert.That(await Store.ClaimReceivedAsync("a", T0, TimeSpan.FromMinutes(5), 2, CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That(await Store.ClaimReceivedAsync("b", T0, TimeSpan.FromMinutes(5), 2, CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That(await Outbox.ClaimDueAsync("a", T0, TimeSpan.FromMinutes(5), 10, CancellationToken.None), Has.Count.EqualTo(1));

        await Store.ReleaseMessageLeasesAsync("a", CancellationToken.None);
        var retaken = await Store.ClaimReceivedAsync("a", T0.AddSeconds(1), TimeSpan.FromMinutes(5), 10, CancellationToken.None);
        Assert.That(retaken.Select(m => m.Id), Is.EqualTo(messages.Take(2)), "a's messages at once, not after the lease; b's stay b's");
        Assert.That(await Outbox.ClaimDueAsync("c", T0.AddSeconds(1), TimeSpan.FromMinutes(5), 10, CancellationToken.None), Is.Empty, "a's delivery lease is untouched");

        await Outbox.ReleaseDeliveryLeasesAsync("a", CancellationToken.None);
        Assert.That(await Outbox.ClaimDueAsync("a", T0.AddSeconds(1), TimeSpan.FromMinutes(5), 10, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_claimers_never_get_the_same_message()
    {
        for (var i = 0; i < 40; i++)
        {
            await Store.RecordReceivedAsync(New($"p{i:D3}", at: T0.AddSeconds(i)), T0.AddDays(-1), CancellationToken.None);
        }
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            IReadOnlyList<MessageRecord> batch;
            while ((batch = await Store.ClaimReceivedAsync($"w{w}", T0, TimeSpan.FromMinutes(5), 3, CancellationToken.None)).Count > 0)
            {
                mine.AddRange(batch.Select(m => m.Id));
            }
            return mine;
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all, Has.Count.EqualTo(40));
        Assert.That(all, Is.Unique);
    }

    [Test]
    public async Task Enqueue_routes_the_message_once_per_partner()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        var deliveries = new[] { new DeliveryRequest("TH", "x.edi", message.BlobHash, 10, "r"), new DeliveryRequest("VN", "x.edi", message.BlobHash, 10, "r") };
        await Outbox.EnqueueAsync(message.Id, deliveries, "to TH, VN", T0, CancellationToken.None);
        await Outbox.EnqueueAsync(message.Id, deliveries, "to TH, VN again", T0, CancellationToken.None);
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed));
        var queued = await Queries.GetDeliveriesAsync(message.Id, CancellationToken.None);
        Assert.That(queued.Select(d => (d.Partner, d.State, d.Attempts)), Is.EqualTo(new[] { ("TH", DeliveryState.Pending, 0), ("VN", DeliveryState.Pending, 0) }));
    }

    [Test]
    public async Task Deliveries_become_due_retry_with_backoff_and_finish_the_message()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await Outbox.EnqueueAsync(message.Id, [new DeliveryRequest("TH", "x.edi", message.BlobHash, 10, "r"), new DeliveryRequest("VN", "x.edi", message.BlobHash, 10, "r")], "", T0, CancellationToken.None);
        var due = await Outbox.ClaimDueAsync("a", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(due, Has.Count.EqualTo(2));
        Assert.That(await Outbox.ClaimDueAsync("b", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None), Is.Empty, "leased");

        await Outbox.RecordAttemptAsync(due[0], new AttemptResult(true, true, "ok", T0, null), CancellationToken.None);
        await Outbox.RecordAttemptAsync(due[1], new AttemptResult(false, false, "server down", T0, T0.AddSeconds(10)), CancellationToken.None);
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed));
        Assert.That(await Outbox.ClaimDueAsync("b", T0.AddSeconds(5), TimeSpan.FromMinutes(1), 10, CancellationToken.None), Is.Empty, "not due yet");
        var retry = await Outbox.ClaimDueAsync("b", T0.AddSeconds(11), TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(retry.Select(d => (d.Partner, d.Attempts, d.LastError)), Is.EqualTo(new[] { ("VN", 1, (string?)"server down") }));

        await Outbox.RecordAttemptAsync(retry[0], new AttemptResult(true, true, "ok", T0.AddSeconds(12), null), CancellationToken.None);
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered));
        var kinds = (await Queries.GetEventsAsync(message.Id, CancellationToken.None)).Select(e => e.Kind);
        Assert.That(kinds, Is.EqualTo(new[] { "received", "routed", "delivered", "delivery-retry", "delivered", "status-delivered" }));
    }

    [Test]
    public async Task The_original_of_split_parts_is_delivered_when_every_part_is()
    {
        var original = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await Outbox.EnqueueAsync(original.Id, [], "split into 2", T0, CancellationToken.None);
        var parts = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            var part = New($"e{i}", partner: "HUB", channel: $"split:TH:{i}", outgoing: true) with { RelatedMessageId = original.Id };
            var identity = new DocumentIdentity { Format = DocumentFormat.Edifact, DocumentType = "CUSDEC", Sender = "CNSW", Recipient = "THSW", ControlReference = $"S{i}" };
            var (id, created) = await Outbox.EnqueueReplyAsync(part, identity, _ => new DeliveryRequest("TH", $"x-00{i}of002.edi", part.BlobHash, 10, "r"),
                $"part {i} as {{id}}", CancellationToken.None, originalEventKind: "split");
            Assert.That(created, Is.True);
            parts.Add(id);
        }
        Assert.That(await Store.FindInterchangeAsync("CNSW", "S2", T0.AddDays(-1), original.Id, CancellationToken.None), Is.EqualTo(parts[1]), "a part is found by its own reference");
        var due = await Outbox.ClaimDueAsync("a", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(due.Select(d => d.MessageId), Is.EquivalentTo(parts));

        await Outbox.RecordAttemptAsync(due[0], new AttemptResult(true, true, "ok", T0, null), CancellationToken.None);
        Assert.That((await Store.GetAsync(original.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed), "one part still out");
        await Outbox.RecordAttemptAsync(due[1], new AttemptResult(true, true, "ok", T0, null), CancellationToken.None);
        Assert.That((await Store.GetAsync(original.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Delivered));
        var kinds = (await Queries.GetEventsAsync(original.Id, CancellationToken.None)).Select(e => e.Kind);
        Assert.That(kinds, Is.EqualTo(new[] { "received", "routed", "split", "split", "status-delivered" }));
    }

    [Test]
    public async Task Start_up_recovery_leaves_a_split_original_alone_while_its_parts_are_out()
    {
        var original = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await Outbox.EnqueueAsync(original.Id, [], "split into 1", T0, CancellationToken.None);
        var part = New("p1", partner: "HUB", channel: "split:TH:1", outgoing: true) with { RelatedMessageId = original.Id };
        await Outbox.EnqueueReplyAsync(part, new DocumentIdentity { Format = DocumentFormat.Edifact, DocumentType = "CUSDEC" },
            _ => new DeliveryRequest("TH", "x-001of001.edi", part.BlobHash, 10, "r"), "part as {id}", CancellationToken.None, originalEventKind: "split");

        // Routed with no delivery of its own is what a kill leaves, except for a split original: its parts deliver it.
        var (_, messages) = await Outbox.RecoverUndeliveredAsync(T0, CancellationToken.None);

        Assert.That(messages, Is.Zero);
        Assert.That((await Store.GetAsync(original.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed));
    }

    [Test]
    public async Task A_final_failure_dead_letters_and_replay_requeues()
    {
        var message = await Store.RecordReceivedAsync(New(), T0.AddDays(-1), CancellationToken.None);
        await Outbox.EnqueueAsync(message.Id, [new DeliveryRequest("TH", "x.edi", message.BlobHash, 10, "r")], "", T0, CancellationToken.None);
        var due = await Outbox.ClaimDueAsync("a", T0, TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        await Outbox.RecordAttemptAsync(due[0], new AttemptResult(false, true, "gave up", T0, null), CancellationToken.None);
        var dead = await Store.GetAsync(message.Id, CancellationToken.None);
        Assert.That(dead!.Status, Is.EqualTo(MessageStatus.DeadLettered));
        Assert.That(dead.Reason, Does.Contain("gave up"));
        Assert.That(await Outbox.ClaimDueAsync("a", T0.AddDays(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None), Is.Empty);

        Assert.That(await Outbox.RequeueAsync(message.Id, T0.AddDays(1), CancellationToken.None), Is.EqualTo(1));
        Assert.That((await Store.GetAsync(message.Id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Routed));
        var again = await Outbox.ClaimDueAsync("a", T0.AddDays(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.That(again.Select(d => d.Attempts), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public async Task Counts_by_status()
    {
        var a = await Store.RecordReceivedAsync(New("g1"), T0.AddDays(-1), CancellationToken.None);
        await Store.RecordReceivedAsync(New("g2"), T0.AddDays(-1), CancellationToken.None);
        await Store.RecordReceivedAsync(New("g2"), T0.AddDays(-1), CancellationToken.None);
        await Store.TransitionAsync(a.Id, MessageStatus.Rejected, "rejected", "x", "x", CancellationToken.None);
        var counts = await Queries.CountByStatusAsync(CancellationToken.None);
        Assert.That(counts, Is.EquivalentTo(new Dictionary<MessageStatus, long> { [MessageStatus.Rejected] = 1, [MessageStatus.Received] = 1, [MessageStatus.Duplicate] = 1 }));
    }
}
