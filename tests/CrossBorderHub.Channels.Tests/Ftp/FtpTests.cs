using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Ftp;

/// <summary>FTPS over vsftpd: the fault contract (password, permission, full disk, acceptance 2: 1,000 files across restarts) and the certificate checks.</summary>
public sealed class FtpTests() : RemoteFolderFaultContract<VsftpdServer>(() => VsftpdServer.Shared, new FtpChannelFactory())
{
    protected override Dictionary<string, string?> PasswordSettings(string folder) => Server.Settings(folder);

    protected override string FullDiskDetail => "";

    [Test]
    public async Task An_untrusted_certificate_is_refused_with_its_fingerprint()
    {
        var settings = Server.Settings(Server.NewFolder("cert"));
        settings["CertificateSha256"] = null; // self-signed: not trusted by the system

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("TLS handshake refused").And.Contain(Server.CertificateSha256));
    }

    [Test]
    public async Task A_certificate_other_than_the_pinned_one_is_refused()
    {
        var settings = Server.Settings(Server.NewFolder("pin"));
        settings["CertificateSha256"] = new string('A', 64);

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("not the pinned CertificateSha256"));
    }

    [Test]
    public void Validate_names_bad_settings()
    {
        var settings = Server.Settings("/x");
        settings["CertificateSha256"] = "xyz";
        settings["Password"] = null;

        var errors = TestChannels.Validate(Factory, TestChannels.Settings("TH", "Outbound", settings, Server.Root));

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:CertificateSha256 'xyz' is not a SHA-256 fingerprint"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:Password is empty"));
        Assert.That(TestChannels.Validate(Factory, TestChannels.Settings("TH", "Outbound", Server.Settings("/x"), Server.Root)), Is.Empty);
    }

    [Test]
    public async Task A_claim_left_by_an_interrupted_poll_is_resumed()
    {
        var folder = Server.NewFolder("claim");
        await LocalFolders.DropAsync(folder, ".hub-claim-test-left.edi", "left over"u8.ToArray(), TimeSpan.FromHours(1));
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var inbound = Factory.CreateInbound(TestChannels.Settings("CN", "Inbound", Server.Settings(folder), Server.Root));

        var result = await inbound.PollAsync(sink, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(sink.Stored().Keys, Is.EqualTo(new[] { "left.edi" }));
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
    }

    [Test]
    public async Task Two_hubs_polling_one_folder_never_take_the_same_file()
    {
        var folder = Server.NewFolder("two");
        for (var i = 0; i < 30; i++)
        {
            await LocalFolders.DropAsync(folder, $"f{i:D3}.edi", Encoding.UTF8.GetBytes($"file {i}"), TimeSpan.FromHours(1));
        }
        var a = Server.Settings(folder);
        a["InstanceId"] = "hub-a";
        var b = Server.Settings(folder);
        b["InstanceId"] = "hub-b";
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));
        await using var first = Factory.CreateInbound(TestChannels.Settings("CN", "Inbound", a, Server.Root));
        await using var second = Factory.CreateInbound(TestChannels.Settings("CN", "Inbound", b, Server.Root));

        var results = await Task.WhenAll(first.PollAsync(sink, CancellationToken.None), second.PollAsync(sink, CancellationToken.None));

        Assert.That(results.Sum(r => r.Accepted), Is.EqualTo(30));
        Assert.That(sink.Calls, Has.Count.EqualTo(30), "no file handed over twice");
        Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
    }


}
