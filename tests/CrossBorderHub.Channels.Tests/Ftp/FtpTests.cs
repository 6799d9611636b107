using CrossBorderHub.Channels.Ftp;

namespace CrossBorderHub.Channels.Tests.Ftp;

/// <summary>FTPS refusals (certificate, password, permission, full disk) and acceptance 2 for FTPS: 1,000 files across vsftpd restarts.</summary>
public sealed class FtpTests
{
    private VsftpdServer _server = null!;
    private readonly FtpChannelFactory _factory = new();

    [SetUp]
    public void Server() => _server = VsftpdServer.Shared;

    private async Task<SendResult> SendAsync(Dictionary<string, string?> settings, string name = "doc.edi", byte[]? content = null)
    {
        await using var channel = _factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", settings, _server.Root));
        return await channel.SendAsync(TestChannels.Document(name, content ?? "UNB"u8.ToArray()), CancellationToken.None);
    }

    [Test]
    public async Task An_untrusted_certificate_is_refused_with_its_fingerprint()
    {
        var settings = _server.Settings(_server.NewFolder("cert"));
        settings["CertificateSha256"] = null; // self-signed: not trusted by the system

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("TLS handshake refused").And.Contain(_server.CertificateSha256));
    }

    [Test]
    public async Task A_certificate_other_than_the_pinned_one_is_refused()
    {
        var settings = _server.Settings(_server.NewFolder("pin"));
        settings["CertificateSha256"] = new string('A', 64);

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("not the pinned CertificateSha256"));
    }

    [Test]
    public async Task A_wrong_password_is_a_clear_retryable_error_without_the_password()
    {
        var settings = _server.Settings(_server.NewFolder("pw"));
        settings["Password"] = "wrong-ftp-secret-1";

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("login refused").And.Not.Contain("wrong-ftp-secret-1"));
    }

    [Test]
    public async Task Permission_denied_is_retryable_and_says_so()
    {
        var folder = Path.Combine(_server.Data, "ro-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);

        var result = await SendAsync(_server.Settings(folder));

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("permission denied"));
    }

    [Test]
    public async Task A_full_remote_disk_is_retryable_and_leaves_no_final_file()
    {
        var folder = _server.NewFolder("full");
        try
        {
            ProcessRunner.Output("/bin/mount", "-t", "tmpfs", "-o", "size=64k,mode=0777", "tmpfs", folder);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Assert.Ignore($"cannot mount a tiny tmpfs here ({ex.Message.Trim()}): the full-disk case is not testable on this machine.");
        }
        try
        {
            var result = await SendAsync(_server.Settings(folder), "big.edi", new byte[512 * 1024]);
            TestContext.Out.WriteLine(result.Detail);

            Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
            Assert.That(result.Detail, Does.Contain("partner TH channel Outbound"));
            Assert.That(Directory.EnumerateFiles(folder), Is.Empty, "the partial temporary file is removed");
            Assert.That(File.Exists(Path.Combine(folder, "big.edi")), Is.False);
        }
        finally
        {
            ProcessRunner.Output("/bin/umount", "-l", folder);
        }
    }

    [Test]
    public void Validate_names_bad_settings()
    {
        var settings = _server.Settings("/x");
        settings["CertificateSha256"] = "xyz";
        settings["Password"] = null;

        var errors = TestChannels.Validate(_factory, TestChannels.Settings("TH", "Outbound", settings, _server.Root));

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:CertificateSha256 'xyz' is not a SHA-256 fingerprint"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:Password is empty"));
        Assert.That(TestChannels.Validate(_factory, TestChannels.Settings("TH", "Outbound", _server.Settings("/x"), _server.Root)), Is.Empty);
    }

    [Test]
    public async Task A_claim_left_by_an_interrupted_poll_is_resumed()
    {
        var folder = _server.NewFolder("claim");
        await LocalFolders.DropAsync(folder, ".hub-claim-test-left.edi", "left over"u8.ToArray(), TimeSpan.FromHours(1));
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var inbound = _factory.CreateInbound(TestChannels.Settings("CN", "Inbound", _server.Settings(folder), _server.Root));

        var result = await inbound.PollAsync(sink, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "left.edi" }));
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
    }

    [Test]
    public async Task Two_hubs_polling_one_folder_never_take_the_same_file()
    {
        var folder = _server.NewFolder("two");
        for (var i = 0; i < 30; i++)
        {
            await LocalFolders.DropAsync(folder, $"f{i:D3}.edi", Encoding.UTF8.GetBytes($"file {i}"), TimeSpan.FromHours(1));
        }
        var a = _server.Settings(folder);
        a["InstanceId"] = "hub-a";
        var b = _server.Settings(folder);
        b["InstanceId"] = "hub-b";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var first = _factory.CreateInbound(TestChannels.Settings("CN", "Inbound", a, _server.Root));
        await using var second = _factory.CreateInbound(TestChannels.Settings("CN", "Inbound", b, _server.Root));

        var results = await Task.WhenAll(first.PollAsync(sink, CancellationToken.None), second.PollAsync(sink, CancellationToken.None));

        Assert.That(results.Sum(r => r.Accepted), Is.EqualTo(30));
        Assert.That(sink.Calls, Has.Count.EqualTo(30), "no file handed over twice");
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
    }

    /// <summary>Acceptance 2 (FTPS): 1,000 files picked up and delivered exactly once, vsftpd killed mid-pickup and mid-delivery.</summary>
    [Test]
    public async Task A_thousand_files_arrive_exactly_once_across_vsftpd_restarts()
    {
        const int count = 1000;
        var source = _server.NewFolder("src");
        var target = _server.NewFolder("dst");
        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < count; i++)
        {
            var content = new byte[1024];
            Encoding.ASCII.GetBytes($"UNB+{i:D6}+").CopyTo(content, 0);
            Random.Shared.NextBytes(content.AsSpan(12));
            expected[$"doc-{i:D4}.edi"] = content;
            await LocalFolders.DropAsync(source, $"doc-{i:D4}.edi", content, TimeSpan.FromHours(1));
        }
        await using var inbound = _factory.CreateInbound(TestChannels.Settings("CN", "Inbound", _server.Settings(source), _server.Root));
        await using var outbound = _factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", _server.Settings(target), _server.Root));
        var sink = new RecordingSink(TestChannels.NewTempFolder("store"));
        Task? restart = null;
        sink.OnAccept = _ =>
        {
            if (sink.Calls.Count == 350 && restart is null)
            {
                _server.Stop();
                restart = Task.Run(async () =>
                {
                    await Task.Delay(500);
                    await _server.StartAsync();
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
        Assert.That(restart, Is.Not.Null);
        Assert.That(Directory.EnumerateFiles(source), Is.Empty);
        Assert.That(sink.StoredCount, Is.EqualTo(count));

        var pending = new Queue<KeyValuePair<string, byte[]>>(sink.Stored());
        int delivered = 0, retried = 0;
        while (pending.Count > 0 && retried < 50)
        {
            if (delivered == 500 && retried == 0)
            {
                _server.Stop();
                _ = Task.Run(async () =>
                {
                    await Task.Delay(500);
                    await _server.StartAsync();
                });
            }
            var (name, content) = pending.Peek();
            var result = await outbound.SendAsync(TestChannels.Document(name, content), CancellationToken.None);
            if (result.Outcome == SendOutcome.Delivered)
            {
                pending.Dequeue();
                delivered++;
            }
            else
            {
                retried++;
                await Task.Delay(300);
            }
        }

        var arrived = LocalFolders.Contents(target);
        Assert.That(retried, Is.GreaterThan(0));
        Assert.That(arrived.Keys, Is.EquivalentTo(expected.Keys));
        Assert.That(arrived.All(kv => kv.Value.AsSpan().SequenceEqual(expected[kv.Key])));
    }
}
