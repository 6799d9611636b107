using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.Sftp;

/// <summary>Pickup details beyond the contract: archive, size-stable files, claims shared by several hubs.</summary>
public sealed class SftpInboundTests
{
    private SshdServer _server = null!;
    private RecordingSink _sink = null!;

    [SetUp]
    public void Server()
    {
        _server = SshdServer.Shared;
        _sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
    }

    private IInboundChannel Inbound(Dictionary<string, string?> settings) =>
        new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, _server.Root));

    [Test]
    public async Task Picked_up_files_move_to_the_archive_folder_when_one_is_set()
    {
        var folder = _server.NewFolder("arc");
        var settings = _server.Settings(folder);
        settings["ArchivePath"] = folder + "/archive";
        settings["Mask"] = "*.edi";
        await LocalFolders.DropAsync(folder, "one.edi", "1"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, "skip.txt", "not matched"u8.ToArray(), TimeSpan.FromHours(1));
        await using var channel = Inbound(settings);

        var result = await channel.PollAsync(_sink, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(Directory.EnumerateFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "skip.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(folder, "archive", "one.edi")), Is.EqualTo("1"));
    }

    [Test]
    public async Task With_RequireStableSize_a_file_is_taken_only_when_its_size_held_between_two_polls()
    {
        var folder = _server.NewFolder("stable");
        var settings = _server.Settings(folder);
        settings["RequireStableSize"] = "true";
        settings["MinimumAge"] = "00:00:00";
        await LocalFolders.DropAsync(folder, "grow.edi", "12"u8.ToArray(), TimeSpan.Zero);
        await using var channel = Inbound(settings);

        var first = await channel.PollAsync(_sink, CancellationToken.None);
        await File.AppendAllTextAsync(Path.Combine(folder, "grow.edi"), "345");
        var second = await channel.PollAsync(_sink, CancellationToken.None);
        var third = await channel.PollAsync(_sink, CancellationToken.None);

        Assert.That((first.Deferred, second.Deferred, third.Accepted), Is.EqualTo((1, 1, 1)));
        Assert.That(Encoding.UTF8.GetString(_sink.Stored()["grow.edi"]), Is.EqualTo("12345"));
    }

    [Test]
    public async Task A_claim_left_by_an_interrupted_poll_is_resumed_under_its_original_name()
    {
        var folder = _server.NewFolder("claim");
        await LocalFolders.DropAsync(folder, ".hub-claim-test-left.edi", "left over"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, ".hub-claim-other-theirs.edi", "another hub's"u8.ToArray(), TimeSpan.FromHours(1));
        await using var channel = Inbound(_server.Settings(folder));

        var result = await channel.PollAsync(_sink, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(_sink.Stored().Keys, Is.EqualTo(new[] { "left.edi" }));
        Assert.That(Directory.EnumerateFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { ".hub-claim-other-theirs.edi" }));
    }

    [Test]
    public async Task Two_hubs_polling_one_folder_never_take_the_same_file()
    {
        var folder = _server.NewFolder("two");
        for (var i = 0; i < 60; i++)
        {
            await LocalFolders.DropAsync(folder, $"f{i:D3}.edi", Encoding.UTF8.GetBytes($"file {i}"), TimeSpan.FromHours(1));
        }
        var a = _server.Settings(folder);
        a["InstanceId"] = "hub-a";
        var b = _server.Settings(folder);
        b["InstanceId"] = "hub-b";
        await using var first = Inbound(a);
        await using var second = Inbound(b);

        var results = await Task.WhenAll(first.PollAsync(_sink, CancellationToken.None), second.PollAsync(_sink, CancellationToken.None));

        Assert.That(results.Sum(r => r.Accepted), Is.EqualTo(60));
        Assert.That(_sink.Calls, Has.Count.EqualTo(60), "no file handed over twice");
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
    }
}
