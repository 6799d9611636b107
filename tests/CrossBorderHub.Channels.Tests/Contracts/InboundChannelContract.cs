namespace CrossBorderHub.Channels.Tests.Contracts;

/// <summary>
/// What every inbound channel promises, whatever the transport: each ready item reaches the sink once, with its
/// bytes; it is removed from the source only after the sink returned; a failing sink leaves it for the next poll.
/// One subclass per adapter supplies the source; file transports derive from <see cref="FileInboundChannelContract"/>.
/// </summary>
public abstract class InboundChannelContract
{
    protected RecordingSink Sink { get; private set; } = null!;

    /// <summary>A new, empty source for each test (its own folder or queue).</summary>
    protected abstract Task<IInboundChannel> CreateInboundAsync();

    /// <summary>Puts one ready item at the source.</summary>
    protected abstract Task DropAsync(string name, byte[] content);

    /// <summary>How many items the source still holds (ready to be picked up again).</summary>
    protected abstract Task<int> CountAtSourceAsync();

    [SetUp]
    public void NewSink() => Sink = new RecordingSink(TestChannels.NewTempFolder("sink"));

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Every_item_reaches_the_sink_once_and_is_removed_after()
    {
        await using var channel = await CreateInboundAsync();
        await DropAsync("a.edi", Bytes("UNA:+.? 'UNB+first'"));
        await DropAsync("b.edi", Bytes("second"));
        await DropAsync("c.xml", Bytes("<third/>"));
        var stillAtSourceWhileAccepting = new List<int>();
        Sink.OnAccept = async _ => stillAtSourceWhileAccepting.Add(await CountAtSourceOrMinusOneAsync());

        var first = await channel.PollAsync(Sink, CancellationToken.None);
        var second = await channel.PollAsync(Sink, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(first.Accepted, Is.EqualTo(3), "first poll");
            Assert.That(second.Accepted, Is.Zero, "second poll finds nothing new");
            Assert.That(Sink.Calls, Has.Count.EqualTo(3));
            Assert.That(Sink.Stored().ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value)), Is.EquivalentTo(new Dictionary<string, string>
            {
                ["a.edi"] = "UNA:+.? 'UNB+first'",
                ["b.edi"] = "second",
                ["c.xml"] = "<third/>",
            }));
            Assert.That(await CountAtSourceAsync(), Is.Zero, "removed from the source after storing");
            Assert.That(Sink.Calls.Select(c => c.Channel).Distinct(), Is.EqualTo(new[] { "Inbound" }));
        });
        // Where the source can be counted while a message is in flight, the item in hand must still be there.
        Assert.That(stillAtSourceWhileAccepting.Where(n => n >= 0), Has.All.GreaterThan(0), "an item left the source before the sink returned");
    }

    /// <summary>Counts items at the source while one is being handed over; -1 where the transport cannot tell.</summary>
    protected virtual Task<int> CountAtSourceOrMinusOneAsync() => CountAtSourceAsync();

    [Test]
    public async Task A_failing_sink_leaves_the_item_for_the_next_poll()
    {
        await using var channel = await CreateInboundAsync();
        await DropAsync("keep.edi", Bytes("must survive"));
        Sink.FailWith = _ => new IOException("store is down");

        try
        {
            var failedPoll = await channel.PollAsync(Sink, CancellationToken.None);
            Assert.That(failedPoll.Accepted, Is.Zero);
        }
        catch (IOException ex) when (ex.Message == "store is down")
        {
            // Letting the store's exception out of the poll is fine too: the item must stay all the same.
        }
        Assert.That(Sink.StoredCount, Is.Zero);

        Sink.FailWith = null;
        await PollUntilAsync(channel, 1);
        Assert.That(Sink.Stored().Select(kv => (kv.Key, Encoding.UTF8.GetString(kv.Value))), Is.EqualTo(new[] { ("keep.edi", "must survive") }));
        Assert.That(await CountAtSourceAsync(), Is.Zero);
    }

    [Test]
    public async Task Hostile_names_are_handed_over_as_data_and_never_chosen_as_a_path()
    {
        await using var channel = await CreateInboundAsync();
        await DropAsync("ctl\u0001\u001b[31m.edi", Bytes("control characters"));
        await DropAsync("a..b.edi", Bytes("dots"));

        await PollUntilAsync(channel, 2);

        Assert.That(Sink.Stored().Values.Select(Encoding.UTF8.GetString), Is.EquivalentTo(new[] { "control characters", "dots" }));
        // The name reaches the store as data; SafeFileName makes any file name from it stay in its folder.
        Assert.That(Sink.Calls.Select(c => SafeFileName.From(c.RemoteName)), Has.None.Contains('/').And.None.Contains('\u0001'));
    }

    /// <summary>Polls until <paramref name="expected"/> items are stored (a few polls: size-stable transports need two).</summary>
    protected async Task PollUntilAsync(IInboundChannel channel, int expected, int maxPolls = 5)
    {
        for (var i = 0; i < maxPolls && Sink.StoredCount < expected; i++)
        {
            await channel.PollAsync(Sink, CancellationToken.None);
        }
        Assert.That(Sink.StoredCount, Is.EqualTo(expected), "items stored");
    }
}
