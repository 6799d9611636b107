using CrossBorderHub.Channels.Sftp;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Sftp;

/// <summary>
/// SFTP over sshd: the fault contract (password, permission, full disk, acceptance 1: 1,000 files across restarts);
/// refusals of a host key or an unreachable server are clear, name partner and channel, and never show a secret.
/// </summary>
public sealed class SftpFailureTests() : RemoteFolderFaultContract<SshdServer>(() => SshdServer.Shared, new SftpChannelFactory())
{
    protected override Dictionary<string, string?> PasswordSettings(string folder) => Server.Settings(folder, password: true);

    protected override string FullDiskDetail => "refused";

    [Test]
    public async Task Password_login_from_an_environment_variable_delivers()
    {
        var folder = Server.NewFolder("pw");
        var settings = Server.Settings(folder, password: true);
        settings["Password"] = null;
        settings["PasswordEnv"] = "HUBTEST_SFTP_PASSWORD";
        Environment.SetEnvironmentVariable("HUBTEST_SFTP_PASSWORD", Server.Password);

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
        Assert.That(File.Exists(Path.Combine(folder, "doc.edi")));
    }

    [Test]
    public async Task A_changed_host_key_is_refused_with_the_presented_fingerprint()
    {
        var settings = Server.Settings(Server.NewFolder("hk"));
        settings["HostKeySha256"] = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');

        var result = await SendAsync(settings);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(result.Detail, Does.Contain("partner TH channel Outbound").And.Contain(Server.HostKeySha256).And.Contain("refused"));
    }

    [Test]
    public async Task An_unreachable_server_fails_the_poll_with_a_logged_reason_and_other_channels_keep_working()
    {
        var logs = new CapturingLoggerFactory();
        var dead = Server.Settings(Server.NewFolder("dead"));
        dead["Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        dead["ConnectAttempts"] = "2";
        var liveFolder = Server.NewFolder("live");
        await LocalFolders.DropAsync(liveFolder, "ok.edi", "fine"u8.ToArray(), TimeSpan.FromHours(1));
        await using var deadChannel = Factory.CreateInbound(TestChannels.Settings("CN", "Inbound", dead, Server.Root, logs));
        await using var liveChannel = Factory.CreateInbound(TestChannels.Settings("KR", "Inbound", Server.Settings(liveFolder), Server.Root, logs));
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
        }, Server.Root);

        var errors = TestChannels.Validate(Factory, settings);

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:Host is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:HostKeySha256 is empty").And.Some.Contains("ssh-keygen -lf"));
        Assert.That(errors, Has.Some.Contains("PasswordEnv names the environment variable"));
        Assert.That(errors, Has.Some.Contains("MinimumAge is negative"));
        Assert.That(TestChannels.Validate(Factory, TestChannels.Settings("CN", "Inbound", Server.Settings("/tmp"), Server.Root)), Is.Empty);
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
