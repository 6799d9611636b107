using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// What every <see cref="IAs2State"/> must do, so the database implementation of the scale-out issue runs the same
/// tests as <see cref="FileAs2State"/>.
/// </summary>
public abstract class As2StateContract
{
    protected string DataRoot { get; private set; } = "";

    protected abstract IAs2State Create();

    [SetUp]
    public void NewDataRoot() => DataRoot = Path.Combine(As2TestEnvironment.Folder, "state-" + Guid.NewGuid().ToString("N")[..8]);

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
}

public sealed class FileAs2StateTests : As2StateContract
{
    protected override IAs2State Create() => new FileAs2State(DataRoot, TimeSpan.FromDays(90));

    [Test]
    public async Task Seen_messages_older_than_the_retention_are_forgotten_when_the_next_one_is_remembered()
    {
        await Create().RememberSeenAsync(new As2SeenMessage("CN", "<old@x>", "m-old", DateTimeOffset.UtcNow, 200, new Dictionary<string, string>(), "", null), CancellationToken.None);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(DataRoot, "as2", "seen")))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-91));
        }

        var state = Create();
        await state.RememberSeenAsync(new As2SeenMessage("CN", "<new@x>", "m-new", DateTimeOffset.UtcNow, 200, new Dictionary<string, string>(), "", null), CancellationToken.None);

        Assert.That(await state.FindSeenAsync("CN", "<old@x>", CancellationToken.None), Is.Null);
        Assert.That(await state.FindSeenAsync("CN", "<new@x>", CancellationToken.None), Is.Not.Null);
    }
}
