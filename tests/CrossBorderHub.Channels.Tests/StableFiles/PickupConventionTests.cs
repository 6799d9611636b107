using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.StableFiles;

/// <summary>
/// Issue 11 defect 5, the conventions part: a partner that writes under a temporary name and renames when done, or
/// writes a ready marker after the file, gets its file taken only when it says so, over a folder and over real sshd.
/// </summary>
public sealed class PickupConventionTests
{
    private static readonly string[] TemporaryNames = ["inv.edi.tmp", "inv.edi.part", "inv.edi.filepart", "~inv.edi", ".inv.edi"];

    private static async Task<PollResult> PollUntilAcceptedAsync(IInboundChannel channel, RecordingSink sink)
    {
        var result = new PollResult();
        for (var i = 0; i < 3 && result.Accepted == 0; i++)
        {
            result = await channel.PollAsync(sink, CancellationToken.None);
        }
        return result;
    }

    private static Dictionary<string, string?> Folder(string folder, string? readyMarker = null) => new()
    {
        ["Path"] = folder, ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00", ["ReadyMarker"] = readyMarker,
    };

    [Test]
    public async Task A_folder_file_written_under_a_temporary_name_is_not_taken_until_renamed()
    {
        var folder = TestChannels.NewTempFolder("tmpname");
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", Folder(folder), folder));
        foreach (var name in TemporaryNames)
        {
            await LocalFolders.DropAsync(folder, name, "UNH+1'half"u8.ToArray(), TimeSpan.FromHours(1));
        }

        for (var i = 0; i < 3; i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        Assert.That(sink.StoredCount, Is.Zero, "a temporary name was taken while the writer was still writing");
        Assert.That(LocalFolders.Count(folder), Is.EqualTo(TemporaryNames.Length), "no temporary file removed");

        File.Move(Path.Combine(folder, "inv.edi.part"), Path.Combine(folder, "inv.edi"));
        var done = await PollUntilAcceptedAsync(channel, sink);
        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "inv.edi" }));
    }

    [Test]
    public async Task A_folder_file_with_a_ReadyMarker_setting_waits_for_its_marker_and_the_marker_is_removed_after_storing()
    {
        var folder = TestChannels.NewTempFolder("marker");
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", Folder(folder, ".ready"), folder));
        await LocalFolders.DropAsync(folder, "inv.edi", "UNH+1'"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, "other.edi.ready", [], TimeSpan.FromHours(1)); // a marker without its file

        for (var i = 0; i < 3; i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        Assert.That(sink.StoredCount, Is.Zero, "taken before its marker existed");

        await File.WriteAllBytesAsync(Path.Combine(folder, "inv.edi.ready"), []);
        var done = await PollUntilAcceptedAsync(channel, sink);
        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "inv.edi" }), "the markers themselves are never documents");
        Assert.That(Directory.EnumerateFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "other.edi.ready" }), "file and its marker removed");
    }

    [Test]
    public async Task IgnorePatterns_given_replace_the_default_list()
    {
        var folder = TestChannels.NewTempFolder("own");
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        var settings = Folder(folder);
        settings["IgnorePatterns:0"] = "*.uploading";
        await using var channel = new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, folder));
        await LocalFolders.DropAsync(folder, "a.edi.uploading", "1"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, "b.edi.tmp", "2"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, ".hub-write-test-1", [], TimeSpan.FromHours(1));

        await PollUntilAcceptedAsync(channel, sink);

        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "b.edi.tmp" }), "*.tmp is no longer ignored; the hub's own names always are");
    }

    [Test]
    public async Task Invalid_IgnorePatterns_and_ReadyMarker_are_refused_at_start_up_with_the_fix()
    {
        var folder = TestChannels.NewTempFolder("invalid");
        var settings = Folder(folder, "in/done");
        settings["IgnorePatterns:0"] = "*";
        settings["IgnorePatterns:1"] = "tmp/*.part";
        var errors = TestChannels.Validate(new FolderChannelFactory(), TestChannels.Settings("CN", "Inbound", settings, folder));

        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:IgnorePatterns:0 '*' ignores every file"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:IgnorePatterns:1 'tmp/*.part' contains a path separator"));
        Assert.That(errors, Has.Some.Contains("Hub:Partners:CN:Inbound:ReadyMarker 'in/done' is not a plain suffix").And.Contains(".ready"));

        var sftp = SshdServer.Shared.Settings("in");
        sftp["ReadyMarker"] = " ";
        var remote = TestChannels.Validate(new SftpChannelFactory(), TestChannels.Settings("CN", "Inbound", sftp, folder));
        Assert.That(remote, Has.Some.Contains("Hub:Partners:CN:Inbound:ReadyMarker is empty"));
    }

    [Test]
    public async Task An_sftp_file_uploaded_under_a_temporary_name_is_not_taken_until_renamed()
    {
        var server = SshdServer.Shared;
        var folder = server.NewFolder("tmpsftp");
        var settings = server.Settings(folder);
        settings["MinimumAge"] = "00:00:00";
        settings["StableInterval"] = "00:00:00";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root));
        foreach (var name in TemporaryNames)
        {
            await LocalFolders.DropAsync(folder, name, "UNH+1'half"u8.ToArray(), TimeSpan.FromHours(1));
        }

        for (var i = 0; i < 3; i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        Assert.That(sink.StoredCount, Is.Zero, "a temporary name was taken over SFTP");
        Assert.That(LocalFolders.Count(folder), Is.EqualTo(TemporaryNames.Length));

        File.Move(Path.Combine(folder, "inv.edi.filepart"), Path.Combine(folder, "inv.edi"));
        var done = await PollUntilAcceptedAsync(channel, sink);
        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "inv.edi" }));
    }

    [Test]
    public async Task An_sftp_file_with_a_ReadyMarker_setting_waits_for_its_marker_and_the_marker_is_removed_after_storing()
    {
        var server = SshdServer.Shared;
        var folder = server.NewFolder("markersftp");
        var settings = server.Settings(folder);
        settings["Mask"] = "*.edi";
        settings["MinimumAge"] = "00:00:00";
        settings["StableInterval"] = "00:00:00";
        settings["ReadyMarker"] = ".ready";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root));
        await LocalFolders.DropAsync(folder, "inv.edi", "UNH+1'"u8.ToArray(), TimeSpan.FromHours(1));

        for (var i = 0; i < 3; i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        Assert.That(sink.StoredCount, Is.Zero, "taken over SFTP before its marker existed");

        await File.WriteAllBytesAsync(Path.Combine(folder, "inv.edi.ready"), []);
        var done = await PollUntilAcceptedAsync(channel, sink);
        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "inv.edi" }));
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty, "file and marker removed once stored");
    }

    [Test]
    public async Task An_ftp_file_with_a_ReadyMarker_setting_waits_for_its_marker_and_temporary_names_are_left_alone()
    {
        var server = VsftpdServer.Shared;
        var folder = server.NewFolder("markerftp");
        var settings = server.Settings(folder);
        settings["MinimumAge"] = "00:00:00";
        settings["StableInterval"] = "00:00:00";
        settings["ReadyMarker"] = ".done";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FtpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root));
        await LocalFolders.DropAsync(folder, "inv.edi", "UNH+1'"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, "next.edi.part", "UNH+2'"u8.ToArray(), TimeSpan.FromHours(1));
        await LocalFolders.DropAsync(folder, "next.edi.part.done", [], TimeSpan.FromHours(1)); // a marker does not make a temp name a document

        for (var i = 0; i < 3; i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        Assert.That(sink.StoredCount, Is.Zero, "taken over FTP before its marker existed");

        await File.WriteAllBytesAsync(Path.Combine(folder, "inv.edi.done"), []);
        var done = await PollUntilAcceptedAsync(channel, sink);
        Assert.That(done.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "inv.edi" }));
        Assert.That(Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "next.edi.part", "next.edi.part.done" }), "inv.edi and its marker removed; the temporary name left alone");
    }
}
