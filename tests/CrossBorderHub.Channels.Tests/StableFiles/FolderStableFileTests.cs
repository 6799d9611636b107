using CrossBorderHub.Channels.Folder;

namespace CrossBorderHub.Channels.Tests.StableFiles;

/// <summary>Issue 11 defect 5: a slow writer loses data. A folder file is taken only once it stopped changing.</summary>
public sealed class FolderStableFileTests
{
    [Test]
    public async Task A_folder_file_whose_writer_pauses_longer_than_MinimumAge_is_not_taken_until_complete()
    {
        var folder = TestChannels.NewTempFolder("slow");
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = folder, ["MinimumAge"] = "00:00:00.300", ["StableInterval"] = "00:00:01" }, folder));
        var path = Path.Combine(folder, "slow.edi");
        var whole = new StringBuilder();
        var writing = Task.Run(async () =>
        {
            await using var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
            for (var part = 0; part < 5; part++)
            {
                var chunk = Encoding.UTF8.GetBytes($"UNH+{part}'" + new string('x', 1000));
                whole.Append(Encoding.UTF8.GetString(chunk));
                await writer.WriteAsync(chunk);
                await writer.FlushAsync();
                if (part < 4)
                {
                    // Pauses longer than MinimumAge: a poll in the pause sees an old-enough, half-written file.
                    await Task.Delay(700);
                }
            }
        });
        while (!writing.IsCompleted)
        {
            await channel.PollAsync(sink, CancellationToken.None);
            Assert.That(sink.StoredCount, Is.Zero, "taken while the writer was still writing");
        }
        await writing;
        var done = new PollResult();
        for (var i = 0; i < 3 && done.Accepted == 0; i++)
        {
            done = await channel.PollAsync(sink, CancellationToken.None);
        }

        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(sink.Stored()["slow.edi"]), Is.EqualTo(whole.ToString()));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_negative_StableInterval_is_refused_at_start_up()
    {
        var folder = TestChannels.NewTempFolder("neg");
        var errors = TestChannels.Validate(new FolderChannelFactory(), TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = folder, ["StableInterval"] = "-00:00:01" }, folder));
        Assert.That(errors, Has.One.Contains("StableInterval is negative"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task A_folder_source_that_changes_between_read_and_removal_is_not_deleted()
    {
        var folder = TestChannels.NewTempFolder("changed");
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        var path = Path.Combine(folder, "grow.edi");
        await LocalFolders.DropAsync(folder, "grow.edi", "UNH+1'"u8.ToArray(), TimeSpan.FromHours(1));
        // The writer resumes after the hub read the file and before it removes it.
        sink.OnAccept = async _ => await File.AppendAllTextAsync(path, "UNT+2+1'");
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = folder, ["StableInterval"] = "00:00:00" }, folder));

        await channel.PollAsync(sink, CancellationToken.None); // first look
        await channel.PollAsync(sink, CancellationToken.None); // second look agrees: read, then the writer resumes
        sink.OnAccept = null;

        Assert.That(File.Exists(path), Is.True, "a source that changed after it was read was deleted");
        Assert.That(File.ReadAllText(path), Is.EqualTo("UNH+1'UNT+2+1'"));
    }
}
