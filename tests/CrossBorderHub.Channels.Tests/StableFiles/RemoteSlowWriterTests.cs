using System.Diagnostics;
using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.StableFiles;

/// <summary>
/// Issue 11 defect 5 over real servers: a real client uploads slowly (OpenSSH sftp -l, curl --limit-rate) while the
/// hub polls; the stored copy must be the whole file. Remote times have whole seconds, so the age alone lets it through.
/// </summary>
public sealed class RemoteSlowWriterTests
{
    private static byte[] Interchange()
    {
        var body = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"LIN+{i:D6}++4000862141404:SRV'QTY+21:{i % 97}'PRI+AAA:{i % 13}.50'"));
        return System.Text.Encoding.ASCII.GetBytes("UNB+UNOC:3+SENDER+RECEIVER+260101:1200+1'UNH+1+ORDERS:D:96A:UN'" + body + "UNT+2+1'UNZ+1+1'")[..1_200_000];
    }

    /// <summary>A new remote folder and a local 1.2 MB interchange to upload into it.</summary>
    private static async Task<(string Folder, string Local, byte[] Content)> PrepareAsync(FileTransferServer server, string name)
    {
        var folder = server.NewFolder(name);
        var content = Interchange();
        var local = Path.Combine(TestChannels.NewTempFolder("upload"), "big.edi");
        await File.WriteAllBytesAsync(local, content);
        return (folder, local, content);
    }

    /// <summary>Polls while the client uploads, then a few times more; the client must succeed and the stored copy be whole.</summary>
    private static async Task AssertStoredWholeAsync(IInboundChannel channel, RecordingSink sink, Process client, byte[] content)
    {
        while (!client.HasExited)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        for (var i = 0; i < 5 && !sink.Stored().ContainsKey("big.edi"); i++)
        {
            await channel.PollAsync(sink, CancellationToken.None);
        }
        var stored = sink.Stored().TryGetValue("big.edi", out var bytes) ? bytes : [];
        await client.WaitForExitAsync();

        Assert.That(client.ExitCode, Is.Zero, await client.StandardError.ReadToEndAsync());
        Assert.That(stored.Length, Is.EqualTo(content.Length), "bytes stored");
        Assert.That(stored, Is.EqualTo(content));
    }

    private static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        arguments.ToList().ForEach(info.ArgumentList.Add);
        return Process.Start(info)!;
    }

    [Test]
    public async Task A_slow_sftp_upload_by_OpenSSH_sftp_is_stored_whole_and_the_client_reports_success()
    {
        var sftp = RequiredTool.Find("sftp", "openssh-client", "/usr/bin/sftp");
        var server = SshdServer.Shared;
        var (folder, local, content) = await PrepareAsync(server, "slowsftp");
        var knownHosts = Path.Combine(TestChannels.NewTempFolder("known"), "known_hosts");
        await File.WriteAllTextAsync(knownHosts, $"[127.0.0.1]:{server.Port} {File.ReadAllText(server.HostKey + ".pub").Trim()}\n");
        var batch = Path.Combine(Path.GetDirectoryName(local)!, "batch");
        await File.WriteAllTextAsync(batch, $"put {local} {folder}/big.edi\n");
        var settings = server.Settings(folder);
        settings["MinimumAge"] = "00:00:00.500"; // the reported configuration: claimed at 0.54 s
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root));

        // 2400 kbit/s: about 4 s for 1.2 MB, so several polls see the upload in progress.
        using var client = Start(sftp, "-l", "2400", "-b", batch, "-i", server.UserKey, "-P", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", $"{server.User}@127.0.0.1");
        await AssertStoredWholeAsync(channel, sink, client, content);
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty, "source removed once stored whole");
    }

    [Test]
    public async Task A_slow_ftp_upload_by_curl_is_stored_whole()
    {
        var curl = RequiredTool.Find("curl", "curl", "/usr/bin/curl");
        var server = VsftpdServer.Shared;
        var (folder, local, content) = await PrepareAsync(server, "slowftp");
        var settings = server.Settings(folder);
        settings["MinimumAge"] = "00:00:00.500";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var channel = new FtpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root));

        using var client = Start(curl, "--silent", "--show-error", "--ssl-reqd", "--insecure", "--limit-rate", "300K",
            "--user", $"{server.User}:{server.Password}", "-T", local, $"ftp://127.0.0.1:{server.Port}/%2F{folder.TrimStart('/')}/big.edi");
        await AssertStoredWholeAsync(channel, sink, client, content);
    }
}
