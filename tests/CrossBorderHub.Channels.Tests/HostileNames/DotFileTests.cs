using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.HostileNames;

/// <summary>Issue 11 defect 6: names starting with '.' were skipped silently; they are logged once, escaped.</summary>
public sealed class DotFileTests
{
    [Test]
    public async Task Dot_files_are_logged_once_as_ignored_across_several_polls_not_silently_skipped()
    {
        var folder = TestChannels.NewTempFolder("dot");
        var loggers = new CapturingLoggerFactory();
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = folder, ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" }, folder, loggers));
        File.WriteAllText(Path.Combine(folder, ".hidden.edi"), "UNA:+.? 'UNB+UNOC:3'");
        File.WriteAllText(Path.Combine(folder, ".evil\n\u001b[31mred\u202Eidf.edi"), "x");

        for (var poll = 0; poll < 4; poll++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }

        Assert.That(sink.StoredCount, Is.Zero, "a dot-file was taken");
        var ignored = loggers.Lines.Where(l => l.Contains("ignoring", StringComparison.Ordinal)).ToList();
        Assert.That(ignored.Count(l => l.Contains(".hidden.edi", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", loggers.Lines));
        Assert.That(ignored.Count(l => l.Contains(".evil", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", loggers.Lines));
        var evil = ignored.Single(l => l.Contains(".evil", StringComparison.Ordinal));
        Assert.That(evil, Does.Contain(@".evil\n\e[31mred\u202Eidf.edi"));
        Assert.That(evil.Any(c => c is '\n' or '\u001b' or '\u202E'), Is.False, "raw control characters in the log line");
        Assert.That(ignored[0], Does.Contain("CN").And.Contain("IgnorePatterns").And.Contain("rename it when complete"));
    }

    [Test]
    public async Task A_dot_file_that_leaves_and_returns_is_logged_again_and_memory_stays_bounded()
    {
        var folder = TestChannels.NewTempFolder("dot2");
        var loggers = new CapturingLoggerFactory();
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = folder, ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" }, folder, loggers));
        var path = Path.Combine(folder, ".again");
        File.WriteAllText(path, "x");
        await channel.PollAsync(sink, CancellationToken.None);
        File.Delete(path);
        await channel.PollAsync(sink, CancellationToken.None);
        File.WriteAllText(path, "x");
        await channel.PollAsync(sink, CancellationToken.None);
        Assert.That(loggers.Lines.Count(l => l.Contains("ignoring .again", StringComparison.Ordinal)), Is.EqualTo(2));

        // Over the bound: each name beyond it is not remembered one by one, one summary line says how many.
        for (var i = 0; i < IgnoredNames.MaxRemembered + 5; i++)
        {
            File.WriteAllText(Path.Combine(folder, $".many-{i:D5}"), "");
        }
        await channel.PollAsync(sink, CancellationToken.None);
        await channel.PollAsync(sink, CancellationToken.None);
        Assert.That(loggers.Lines.Count(l => l.Contains("ignoring .many-", StringComparison.Ordinal)), Is.LessThanOrEqualTo(IgnoredNames.MaxRemembered));
        Assert.That(loggers.Lines.Count(l => l.Contains("more names starting with '.'", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Dot_files_on_a_real_sftp_server_are_logged_once_as_ignored_across_several_polls()
    {
        var server = SshdServer.Shared;
        var folder = server.NewFolder("dotsftp");
        File.WriteAllText(Path.Combine(folder, ".upload\u001b[31m.part"), "x");
        var loggers = new CapturingLoggerFactory();
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        var settings = server.Settings(folder);
        settings["MinimumAge"] = "00:00:00";
        await using var channel = new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root, loggers));

        for (var poll = 0; poll < 3; poll++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }

        Assert.That(sink.StoredCount, Is.Zero);
        var ignored = loggers.Lines.Where(l => l.Contains("ignoring", StringComparison.Ordinal)).ToList();
        Assert.That(ignored, Has.Count.EqualTo(1), string.Join("\n", loggers.Lines));
        Assert.That(ignored[0], Does.Contain(@"ignoring .upload\e[31m.part"));
    }
}
