using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

public sealed class FileAs2StateTests : As2StateContract
{
    private string DataRoot { get; set; } = "";

    [SetUp]
    public void NewDataRoot() => DataRoot = Path.Combine(As2TestEnvironment.Folder, "state-" + Guid.NewGuid().ToString("N")[..8]);

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
