namespace CrossBorderHub.Channels.Tests.Contracts;

/// <summary>
/// What every outbound channel promises: delivery under the deterministic (safe) name, a retried send replaces
/// rather than duplicates, no temporary file is left behind, and hostile names never leave the target.
/// </summary>
public abstract class OutboundChannelContract
{
    /// <summary>A new, empty destination for each test.</summary>
    protected abstract Task<IOutboundChannel> CreateOutboundAsync();

    /// <summary>What the partner would see at the destination: name -> content, temporary files included.</summary>
    protected abstract Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync();

    /// <summary>Names created next to (outside) the destination since the test started; empty where nothing can escape.</summary>
    protected virtual Task<IReadOnlyList<string>> EscapedAsync() => Task.FromResult<IReadOnlyList<string>>([]);

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Delivers_under_the_documents_file_name()
    {
        await using var channel = await CreateOutboundAsync();
        var result = await channel.SendAsync(TestChannels.Document("INV-0001.edi", Bytes("UNB+invoice")), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
        var delivered = await DeliveredAsync();
        Assert.That(delivered.Keys, Is.EqualTo(new[] { "INV-0001.edi" }));
        Assert.That(Encoding.UTF8.GetString(delivered["INV-0001.edi"]), Is.EqualTo("UNB+invoice"));
    }

    [Test]
    public async Task A_retried_send_does_not_duplicate()
    {
        await using var channel = await CreateOutboundAsync();
        var document = TestChannels.Document("ORDERS-7.xml", Bytes("<order n='7'/>"));

        var first = await channel.SendAsync(document, CancellationToken.None);
        var retry = await channel.SendAsync(document, CancellationToken.None);
        var other = await channel.SendAsync(TestChannels.Document("ORDERS-8.xml", Bytes("<order n='8'/>")), CancellationToken.None);

        Assert.That(new[] { first.Outcome, retry.Outcome, other.Outcome }, Has.All.EqualTo(SendOutcome.Delivered));
        var delivered = await DeliveredAsync();
        Assert.That(delivered.Keys, Is.EquivalentTo(new[] { "ORDERS-7.xml", "ORDERS-8.xml" }), "one copy per document, no temporary file left");
        Assert.That(Encoding.UTF8.GetString(delivered["ORDERS-7.xml"]), Is.EqualTo("<order n='7'/>"));
    }

    [TestCase("../../escape.edi", "escape.edi", TestName = "Hostile_name_parent_folders")]
    [TestCase("/etc/absolute.edi", "etc_absolute.edi", TestName = "Hostile_name_absolute_path")]
    [TestCase("..\\..\\windows.edi", "windows.edi", TestName = "Hostile_name_backslashes")]
    [TestCase("ctl\u0001\u001b.edi", "ctl__.edi", TestName = "Hostile_name_control_characters")]
    [TestCase("M1-p1\\..\\inv\u202e.edi", "M1-p1_inv_.edi", TestName = "Hostile_name_separators_and_bidi_override_keep_the_prefix")]
    public async Task Hostile_names_never_leave_the_destination(string hostile, string expected)
    {
        await using var channel = await CreateOutboundAsync();
        var result = await channel.SendAsync(TestChannels.Document(hostile, Bytes("payload")), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
        Assert.That((await DeliveredAsync()).Keys, Is.EqualTo(new[] { expected }));
        Assert.That(await EscapedAsync(), Is.Empty, "nothing written outside the destination");
    }

    [Test]
    public async Task Deliveries_of_two_inbound_files_with_the_same_last_name_segment_never_share_a_remote_name()
    {
        // The core names each delivery "<message id>-<inbound name>"; the inbound names differ only before a '\'.
        await using var channel = await CreateOutboundAsync();
        var first = await channel.SendAsync(TestChannels.Document("20260101-0001-p1\\inv.edi", Bytes("first")), CancellationToken.None);
        var second = await channel.SendAsync(TestChannels.Document("20260101-0002-p2\\inv.edi", Bytes("second")), CancellationToken.None);
        var long1 = await channel.SendAsync(TestChannels.Document("20260101-0003-" + new string('\u00e9', 300) + "a.edi", Bytes("third")), CancellationToken.None);
        var long2 = await channel.SendAsync(TestChannels.Document("20260101-0003-" + new string('\u00e9', 300) + "b.edi", Bytes("fourth")), CancellationToken.None);

        Assert.That(new[] { first.Outcome, second.Outcome, long1.Outcome, long2.Outcome }, Has.All.EqualTo(SendOutcome.Delivered));
        var delivered = await DeliveredAsync();
        Assert.That(delivered, Has.Count.EqualTo(4), string.Join(", ", delivered.Keys));
        Assert.That(delivered.Keys, Has.All.Length.LessThanOrEqualTo(DeliveryName.MaxBytes));
        Assert.That(delivered.Values.Select(Encoding.UTF8.GetString), Is.EquivalentTo(new[] { "first", "second", "third", "fourth" }));
    }
}
