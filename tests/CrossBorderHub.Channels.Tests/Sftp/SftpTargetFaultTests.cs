using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.Sftp;

/// <summary>
/// The partner's SFTP folder (the real sshd) refuses writes: made read-only for the login user (chmod 0555; the
/// session runs as the non-root test account, so the refusal is real), or on a real 2 MB tmpfs filled to the last
/// byte. Every attempt must be RetryLater (never Delivered), leave no file and no partial temporary file behind, and
/// once the folder takes writes again each document arrives exactly once, whole, also when an attempt is repeated
/// (an attempt sent but not recorded is sent again by the outbox under the same name).
/// </summary>
[NonParallelizable]
public sealed class SftpTargetFaultTests
{
    private const int Documents = 5;

    [TestCase("read-only")]
    [TestCase("full")]
    public async Task When_the_remote_folder_refuses_writes_every_attempt_is_RetryLater_leaves_no_partial_file_and_each_document_arrives_once_after_recovery(string fault)
    {
        var server = SshdServer.Shared;
        var folder = server.NewFolder("refuse");
        var filler = Path.Combine(folder, ".filler");
        if (fault == "full")
        {
            ProcessRunner.Output("/bin/mount", "-t", "tmpfs", "-o", $"size=2m,mode=0755,uid={TestAccount.Ensure().Uid}", "tmpfs", folder);
        }
        try
        {
            if (fault == "full")
            {
                try
                {
                    ProcessRunner.Output("/bin/dd", "if=/dev/zero", $"of={filler}", "bs=64k");
                }
                catch (InvalidOperationException)
                {
                    // dd exits 1 with "No space left on device": that is the point.
                }
            }
            else
            {
                ProcessRunner.Output("/bin/chmod", "0555", folder);
            }
            var documents = Enumerable.Range(0, Documents).ToDictionary(i => $"refused-{i}.edi", i =>
            {
                // 200 KB: larger than SSH.NET's write chunks, so a full disk cuts the upload part-way.
                var content = new byte[200_000];
                Random.Shared.NextBytes(content);
                return content;
            });
            var ids = documents.Keys.ToDictionary(name => name, _ => Guid.NewGuid().ToString("N"));
            await using var channel = new SftpChannelFactory().CreateOutbound(TestChannels.Settings("TH", "Outbound", server.Settings(folder), server.Root));

            for (var round = 0; round < 2; round++)
            {
                foreach (var (name, content) in documents)
                {
                    var result = await channel.SendAsync(TestChannels.Document(name, content, ids[name]), CancellationToken.None);
                    Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater), $"{fault}, round {round}, {name}: {result.Detail}");
                    Assert.That(result.Detail, Does.Contain("partner TH channel Outbound"), result.Detail);
                }
            }
            Assert.That(Directory.GetFiles(folder).Where(f => f != filler), Is.Empty, "no file and no partial temporary file at the partner");

            if (fault == "full")
            {
                File.Delete(filler);
            }
            else
            {
                ProcessRunner.Output("/bin/chmod", "0755", folder);
            }
            for (var round = 0; round < 2; round++)
            {
                // The second round repeats every delivery, as the outbox does when an attempt was sent but not recorded.
                foreach (var (name, content) in documents)
                {
                    var result = await channel.SendAsync(TestChannels.Document(name, content, ids[name]), CancellationToken.None);
                    Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), $"{fault}, after recovery, {name}: {result.Detail}");
                }
            }
            var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
            Assert.That(files.Where(f => Path.GetFileName(f).StartsWith('.')), Is.Empty, "no temporary file left");
            Assert.That(files, Has.Length.EqualTo(Documents), "each document exactly once");
            foreach (var (name, content) in documents)
            {
                var path = Path.Combine(folder, name);
                Assert.That(File.Exists(path), Is.True, $"{name} delivered; found {string.Join(", ", files.Select(Path.GetFileName))}");
                Assert.That(File.ReadAllBytes(path), Is.EqualTo(content), name);
            }
        }
        finally
        {
            if (fault == "full")
            {
                ProcessRunner.Output("/bin/umount", "-l", folder);
            }
        }
    }
}
