namespace CrossBorderHub.Channels.Tests.Contracts;

/// <summary>
/// What SFTP and FTP promise over a real server when the server or its disk misbehaves: refusals are retryable, name
/// partner and channel and never show a secret; no partial file is left under a final name; and 1,000 files are
/// picked up and delivered exactly once with the server killed mid-pickup and again mid-delivery (acceptance 1 and 2).
/// One subclass per transport, which adds the tests particular to it.
/// </summary>
public abstract class RemoteFolderFaultContract<TServer>(Func<TServer> server, IChannelFactory factory)
    where TServer : FileTransferServer
{
    /// <summary>The run's shared server (stopped by <see cref="ServersTeardown"/>, not by a test).</summary>
    protected TServer Server => server();
    protected IChannelFactory Factory => factory;

    /// <summary>Settings that log in with the account's password (SFTP logs in with a key otherwise).</summary>
    protected abstract Dictionary<string, string?> PasswordSettings(string folder);

    /// <summary>What the transport's full-disk refusal says besides partner and channel.</summary>
    protected abstract string FullDiskDetail { get; }

    protected async Task<SendResult> SendAsync(Dictionary<string, string?> settings, string name = "doc.edi", byte[]? content = null)
    {
        await using var channel = factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", settings, Server.Root));
        return await channel.SendAsync(TestChannels.Document(name, content ?? "UNB"u8.ToArray()), CancellationToken.None);
    }

    [Test]
    public async Task A_wrong_password_is_a_clear_retryable_error_without_the_password()
    {
        var settings = PasswordSettings(Server.NewFolder("badpw"));
        settings["Password"] = "not-the-password-123";

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("login refused").And.Not.Contain("not-the-password-123"));
    }

    [Test]
    public async Task Permission_denied_is_retryable_and_says_so()
    {
        // Owned by root, 0755: the login user may read but not write.
        var folder = Path.Combine(Server.Data, "ro-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);

        var result = await SendAsync(Server.Settings(folder));

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("permission denied"));
        Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty);
    }

    [Test]
    public async Task A_full_remote_disk_is_retryable_and_leaves_no_partial_file()
    {
        var folder = Server.NewFolder("full");
        await using var disk = await Tmpfs.MountAsync(folder, "size=64k,mode=0777");

        var result = await SendAsync(Server.Settings(folder), "big.edi", new byte[512 * 1024]);
        TestContext.Out.WriteLine(result.Detail);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain(FullDiskDetail));
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty, "the partial temporary file is removed");
        Assert.That(File.Exists(Path.Combine(folder, "big.edi")), Is.False, "the final name never holds a partial file");
    }

    [Test]
    public async Task A_thousand_files_arrive_exactly_once_across_server_restarts()
    {
        const int count = 1000;
        var source = Server.NewFolder("src");
        var target = Server.NewFolder("dst");
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < count; i++)
        {
            var content = new byte[1024];
            Encoding.ASCII.GetBytes($"UNB+{i:D6}+").CopyTo(content, 0);
            Random.Shared.NextBytes(content.AsSpan(12));
            expected[$"doc-{i:D4}.edi"] = content;
            await LocalFolders.DropAsync(source, $"doc-{i:D4}.edi", content, TimeSpan.FromHours(1));
        }
        await using var inbound = factory.CreateInbound(TestChannels.Settings("CN", "Inbound", Server.Settings(source), Server.Root));
        await using var outbound = factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", Server.Settings(target), Server.Root));
        var sink = new RecordingSink(TestChannels.NewTempFolder("store"));
        Task? restart = null;
        var killed = 0;
        sink.OnAccept = _ =>
        {
            // Kill the server (and every session) right after the store took file 400, before the source is removed
            // (pickups run in parallel: whichever gets there first, once).
            if (sink.Calls.Count >= 400 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                restart = KillAndRestart();
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

        // Deliver like the outbox: RetryLater is retried; the server is killed after 500 deliveries.
        var pending = new Queue<KeyValuePair<string, byte[]>>(sink.Stored());
        int delivered = 0, retried = 0;
        while (pending.Count > 0 && retried < 50)
        {
            var (name, content) = pending.Peek();
            if (delivered == 500 && retried == 0)
            {
                _ = KillAndRestart();
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

    /// <summary>Kills the server now and starts it again 0.7 s later (in the background).</summary>
    private Task KillAndRestart()
    {
        Server.Stop();
        return Task.Run(async () =>
        {
            await Task.Delay(700);
            await Server.StartAsync();
        });
    }
}
