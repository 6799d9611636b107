using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// What every <see cref="IAs2State"/> must do: FileAs2State (here) and the store's DapperAs2State (Storage tests,
/// which compile this file too) run the same tests.
/// </summary>
public abstract class As2StateContract
{
    /// <summary>A state over an empty store of its own for each test (SetUp runs first).</summary>
    protected abstract IAs2State Create();

    private static As2SeenMessage Seen(string partner, string messageId, DateTimeOffset at) =>
        new(partner, messageId, "m-" + messageId, at, 200, new Dictionary<string, string> { ["Content-Type"] = "text/plain" }, "b2s=", null);

    private static As2PendingMdn Pending(string as2MessageId) =>
        new(as2MessageId, "doc-1", "CN", "CNSW", "mic, sha256", DateTimeOffset.UtcNow, ["pem"]);

    [Test]
    public async Task A_seen_message_is_found_under_its_partner_and_message_id_only()
    {
        var state = Create();
        await state.RememberSeenAsync(Seen("CN", "<a@x>", DateTimeOffset.UtcNow), CancellationToken.None);

        var found = await state.FindSeenAsync("CN", "<a@x>", CancellationToken.None);

        Assert.That(found?.StoredAs, Is.EqualTo("m-<a@x>"));
        Assert.That(found!.Headers["Content-Type"], Is.EqualTo("text/plain"));
        Assert.That(await state.FindSeenAsync("TH", "<a@x>", CancellationToken.None), Is.Null, "another partner's Message-ID space");
        Assert.That(await state.FindSeenAsync("CN", "<b@x>", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Saving_a_pending_message_keeps_the_verdict_written_meanwhile_and_a_null_verdict_clears_it()
    {
        var state = Create();
        await state.SavePendingAsync(Pending("<p@x>"), CancellationToken.None);
        await state.SaveVerdictAsync("<p@x>", new As2MdnVerdict(As2MdnState.Acknowledged, "positive", DateTimeOffset.UtcNow), CancellationToken.None);
        // The sender's after-POST save must not overwrite the MDN that overtook its HTTP answer.
        await state.SavePendingAsync(Pending("<p@x>") with { Posted = true }, CancellationToken.None);

        var answered = await state.FindPendingAsync("<p@x>", CancellationToken.None);
        await state.SaveVerdictAsync("<p@x>", null, CancellationToken.None);
        var cleared = await state.FindPendingAsync("<p@x>", CancellationToken.None);

        Assert.That(answered?.State, Is.EqualTo(As2MdnState.Acknowledged));
        Assert.That(answered?.Detail, Is.EqualTo("positive"));
        Assert.That(answered?.Posted, Is.True);
        Assert.That(cleared?.State, Is.EqualTo(As2MdnState.Waiting));
        Assert.That(cleared?.Detail, Is.Null);
    }

    [Test]
    public async Task A_pending_message_is_found_with_or_without_angle_brackets_around_its_id()
    {
        var state = Create();
        await state.SavePendingAsync(Pending("<p@x>"), CancellationToken.None);

        Assert.That(await state.FindPendingAsync(" p@x ", CancellationToken.None), Is.Not.Null);
        Assert.That(await state.FindPendingAsync("<q@x>", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Remembering_a_message_again_replaces_its_record_and_a_second_state_over_the_same_store_sees_it()
    {
        await Create().RememberSeenAsync(Seen("CN", "<r@x>", DateTimeOffset.UtcNow), CancellationToken.None);
        await Create().RememberSeenAsync(Seen("CN", "<r@x>", DateTimeOffset.UtcNow) with { Status = 500 }, CancellationToken.None);

        var found = await Create().FindSeenAsync("CN", "<r@x>", CancellationToken.None);

        Assert.That(found?.Status, Is.EqualTo(500));
    }

    [Test]
    public async Task Concurrent_saves_of_one_pending_message_and_its_verdict_all_succeed()
    {
        var state = Create();
        var writes = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? state.SavePendingAsync(Pending("<c@x>") with { Sends = i }, CancellationToken.None)
            : state.SaveVerdictAsync("<c@x>", new As2MdnVerdict(As2MdnState.Failed, "negative " + i, DateTimeOffset.UtcNow), CancellationToken.None));

        await Task.WhenAll(writes);

        var found = await state.FindPendingAsync("<c@x>", CancellationToken.None);
        Assert.That(found?.State, Is.EqualTo(As2MdnState.Failed));
        Assert.That(found?.Detail, Does.StartWith("negative"));
    }
}
