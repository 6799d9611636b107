using CrossBorderHub.Channels.Sftp;

namespace CrossBorderHub.Channels.Tests.Sftp;

/// <summary>Refusals are clear, name partner and channel, are retryable, and never show a secret.</summary>
public sealed class SftpFailureTests
{
    private SshdServer _server = null!;
    private readonly SftpChannelFactory _factory = new();

    [SetUp]
    public void Server() => _server = SshdServer.Shared;

    private async Task<SendResult> SendAsync(Dictionary<string, string?> settings, string name = "doc.edi", byte[]? content = null)
    {
        await using var channel = _factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", settings, _server.Root));
        return await channel.SendAsync(TestChannels.Document(name, content ?? Encoding.UTF8.GetBytes("UNB")), CancellationToken.None);
    }

    [Test]
    public async Task Password_login_from_an_environment_variable_delivers()
    {
        var folder = _server.NewFolder("pw");
        var settings = _server.Settings(folder, password: true);
        settings["Password"] = null;
        settings["PasswordEnv"] = "HUBTEST_SFTP_PASSWORD";
        Environment.SetEnvironmentVariable("HUBTEST_SFTP_PASSWORD", _server.Password);

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
        Assert.That(File.Exists(Path.Combine(folder, "doc.edi")));
    }

    [Test]
    public async Task A_changed_host_key_is_refused_with_the_presented_fingerprint()
    {
        var settings = _server.Settings(_server.NewFolder("hk"));
        settings["HostKeySha256"] = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain(_server.HostKeySha256).And.Contain("refused"));
    }

    [Test]
    public async Task A_wrong_password_is_a_clear_retryable_error_without_the_password()
    {
        var settings = _server.Settings(_server.NewFolder("badpw"), password: true);
        settings["Password"] = "not-the-password-123";

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("login refused").And.Not.Contain("not-the-password-123"));
    }

    [Test]
    public async Task Permission_denied_is_retryable_and_says_so()
    {
        // Owned by root, 0755: the login user may read but not write.
        var folder = Path.Combine(_server.Data, "ro-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);

        var result = await SendAsync(_server.Settings(folder));

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("permission denied"));
        Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty);
    }

    [Test]
    public async Task A_full_remote_disk_is_retryable_and_leaves_no_partial_file()
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
            Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain("refused"));
            Assert.That(Directory.EnumerateFiles(folder), Is.Empty, "the partial temporary file is removed");
            Assert.That(File.Exists(Path.Combine(folder, "big.edi")), Is.False, "the final name never holds a partial file");
        }
        finally
        {
            ProcessRunner.Output("/bin/umount", "-l", folder);
        }
    }

    [Test]
    public async Task An_unreachable_server_fails_the_poll_with_a_logged_reason_and_other_channels_keep_working()
    {
        var logs = new CapturingLoggerFactory();
        var dead = _server.Settings(_server.NewFolder("dead"));
        dead["Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        dead["ConnectAttempts"] = "2";
        var liveFolder = _server.NewFolder("live");
        await LocalFolders.DropAsync(liveFolder, "ok.edi", "fine"u8.ToArray(), TimeSpan.FromHours(1));
        await using var deadChannel = _factory.CreateInbound(TestChannels.Settings("CN", "Inbound", dead, _server.Root, logs));
        await using var liveChannel = _factory.CreateInbound(TestChannels.Settings("KR", "Inbound", _server.Settings(liveFolder), _server.Root, logs));
        var sink = new RecordingSink(TestChannels.NewTempFolder("sink"));

        var failed = await deadChannel.PollAsync(sink, CancellationToken.None);
        var live = await liveChannel.PollAsync(sink, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(new PollResult(0, 0, 1)));
            Assert.That(logs.Lines, Has.Some.Contains("partner CN channel Inbound").And.Some.Contains("cannot reach the server"));
            Assert.That(live.Accepted, Is.EqualTo(1));
        });
    }

    [Test]
    public void Validate_names_each_missing_setting_and_the_fix()
    {
        var settings = TestChannels.Settings("CN", "Inbound", new Dictionary<string, string?>
        {
            ["Type"] = "sftp",
            ["Host"] = "",
            ["Username"] = "u",
            ["PasswordEnv"] = "HUBTEST_SURELY_NOT_SET_" + Guid.NewGuid().ToString("N"),
            ["MinimumAge"] = "-00:00:01",
        }, _server.Root);

        var errors = TestChannels.Validate(_factory, settings);

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:Host is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:HostKeySha256 is empty").And.Some.Contains("ssh-keygen -lf"));
        Assert.That(errors, Has.Some.Contains("PasswordEnv names the environment variable"));
        Assert.That(errors, Has.Some.Contains("MinimumAge is negative"));
        Assert.That(TestChannels.Validate(_factory, TestChannels.Settings("CN", "Inbound", _server.Settings("/tmp"), _server.Root)), Is.Empty);
    }
}

/// <summary>A setting of the wrong type is a start-up error naming it, for every transport, never a crash.</summary>
public sealed class ChannelSettingTypeTests
{
    [TestCase("sftp", "Port", "twenty-two")]
    [TestCase("ftp", "Encryption", "Implicit")]
    [TestCase("rabbitmq", "MaxDeliveryAttempts", "many")]
    [TestCase("sftp", "MinimumAge", "soon")]
    public void A_value_of_the_wrong_type_is_reported_with_its_path(string type, string key, string value)
    {
        Core.Channels.IChannelFactory factory = type switch
        {
            "sftp" => new SftpChannelFactory(),
            "ftp" => new CrossBorderHub.Channels.Ftp.FtpChannelFactory(),
            _ => new CrossBorderHub.Channels.RabbitMq.RabbitMqChannelFactory(),
        };
        var settings = TestChannels.Settings("CN", "Inbound", new Dictionary<string, string?> { ["Type"] = type, ["Host"] = "h", [key] = value }, Path.GetTempPath());

        var errors = TestChannels.Validate(factory, settings);

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound: ").And.Some.Contains(value));
    }
}
