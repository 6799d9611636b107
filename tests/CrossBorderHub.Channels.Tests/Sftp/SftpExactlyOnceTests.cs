using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.Sftp;

/// <summary>
/// Acceptance 1: 1,000 files dropped on SFTP reach the partner's SFTP folder exactly once, with sshd killed and
/// restarted in the middle of the pickup and again in the middle of the delivery.
/// </summary>
public sealed class SftpExactlyOnceTests
{
    [Test]
    public async Task A_thousand_files_arrive_exactly_once_across_sshd_restarts()
    {
        const int count = 1000;
        var server = SshdServer.Shared;
        var source = server.NewFolder("src");
        var target = server.NewFolder("dst");
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < count; i++)
        {
            var content = new byte[1024];
            Encoding.ASCII.GetBytes($"UNB+{i:D6}+").CopyTo(content, 0);
            Random.Shared.NextBytes(content.AsSpan(12));
            expected[$"doc-{i:D4}.edi"] = content;
            await LocalFolders.DropAsync(source, $"doc-{i:D4}.edi", content, TimeSpan.FromHours(1));
        }
        var factory = new SftpChannelFactory();
        await using var inbound = factory.CreateInbound(TestChannels.Settings("CN", "Inbound", server.Settings(source), server.Root));
        await using var outbound = factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", server.Settings(target), server.Root));
        var sink = new RecordingSink(TestChannels.NewTempFolder("store"));
        Task? restart = null;
        var killed = 0;
        sink.OnAccept = _ =>
        {
            // Kill sshd (and every session) right after the store took file 400, before the source is removed
            // (pickups run in parallel: whichever gets there first, once).
            if (sink.Calls.Count >= 400 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                server.Stop();
                restart = Task.Run(async () =>
                {
                    await Task.Delay(700);
                    await server.StartAsync();
                });
            }
            return Task.CompletedTask;
        };

        for (var poll = 0; poll < 20 && (sink.StoredCount < count || Directory.EnumerateFiles(source).Any()); poll++)
        {
            await inbound.PollAsync(sink, CancellationToken.None);
            if (restart is not null)
            {
                await restart;
            }
        }
        Assert.That(restart, Is.Not.Null, "the server was restarted mid-batch");
        Assert.That(Directory.EnumerateFiles(source), Is.Empty, "nothing left (or claimed) at the source");
        Assert.That(sink.StoredCount, Is.EqualTo(count), "each file stored once (a resumed claim is a recognised duplicate)");

        // Deliver like the outbox: RetryLater is retried; sshd is killed after 500 deliveries.
        var pending = new Queue<KeyValuePair<string, byte[]>>(sink.Stored());
        int delivered = 0, retried = 0;
        while (pending.Count > 0 && retried < 50)
        {
            var (name, content) = pending.Peek();
            if (delivered == 500 && retried == 0)
            {
                server.Stop();
                _ = Task.Run(async () =>
                {
                    await Task.Delay(700);
                    await server.StartAsync();
                });
            }
            var result = await outbound.SendAsync(TestChannels.Document(name, content), CancellationToken.None);
            if (result.Outcome == SendOutcome.Delivered)
            {
                pending.Dequeue();
                delivered++;
            }
            else
            {
                Assert.That(result.Detail, Does.Contain("partner TH channel Outbound"));
                retried++;
                await Task.Delay(300);
            }
        }

        var arrived = LocalFolders.Contents(target);
        Assert.That(retried, Is.GreaterThan(0), "the delivery saw the restart");
        Assert.That(arrived.Keys, Is.EquivalentTo(expected.Keys), "exactly the 1,000 names, no temporary file");
        Assert.That(arrived.All(kv => kv.Value.AsSpan().SequenceEqual(expected[kv.Key])), "every file's bytes intact");
    }
}
