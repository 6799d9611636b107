using CrossBorderHub.Channels.As2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Start-up validation: every unusable AS2 setting is reported with its path and the fix.</summary>
public sealed class As2ConfigurationTests
{
    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ChannelContext Context() => new(Path.Combine(As2TestEnvironment.Folder, "config"), TimeProvider.System, NullLoggerFactory.Instance);

    [Test]
    public void Outbound_errors_name_each_setting_and_the_fix()
    {
        var section = Configuration(new()
        {
            ["Hub:Partners:TH:Outbound:Type"] = "as2",
            ["Hub:Partners:TH:Outbound:Url"] = "ftp://wrong",
            ["Hub:Partners:TH:Outbound:As2To"] = "",
            ["Hub:Partners:TH:Outbound:EncryptionAlgorithm"] = "rc2",
            ["Hub:Partners:TH:Outbound:Mdn"] = "async",
            ["Hub:Partners:TH:Outbound:PartnerCertificates:0"] = "missing.pem",
        }).GetSection("Hub:Partners:TH:Outbound");
        var errors = new List<string>();

        new As2ChannelFactory().Validate(new ChannelSettings("TH", "as2", section, Context()), errors);

        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:Url 'ftp://wrong'"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:As2From is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:As2To is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:EncryptionAlgorithm 'rc2'"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:MdnUrl is required"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:TH:Outbound:PartnerCertificates 'missing.pem' cannot be loaded"));
    }

    [Test]
    public void Receiver_configuration_reads_hub_id_and_as2_inbound_partners()
    {
        var configuration = Configuration(new()
        {
            ["Hub:As2:Id"] = "XBHUB",
            ["Hub:As2:MaxBodyBytes"] = "1048576",
            ["Hub:Partners:CN:Inbound:Type"] = "as2",
            ["Hub:Partners:CN:Inbound:As2Id"] = "CNSW",
            ["Hub:Partners:CN:Inbound:TrustedCertificates:0"] = As2TestEnvironment.Partner.CertificatePath,
            ["Hub:Partners:CN:Inbound:RequireEncryption"] = "true",
            ["Hub:Partners:TH:Inbound:Type"] = "folder",
        });
        var errors = new List<string>();

        var options = As2ReceiverConfiguration.Load(configuration, As2TestEnvironment.Hub.Certificate, Context(), errors);

        Assert.That(errors, Is.Empty);
        Assert.That(options.HubIds, Is.EqualTo(new[] { "XBHUB" }));
        Assert.That(options.MaxBodyBytes, Is.EqualTo(1048576));
        var partner = options.Partners.Single();
        Assert.That(partner.Partner, Is.EqualTo("CN"));
        Assert.That(partner.As2Id, Is.EqualTo("CNSW"));
        Assert.That(partner.RequireEncryption, Is.True);
        Assert.That(partner.Pinned(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Receiver_configuration_without_id_or_certificates_lists_every_error()
    {
        var configuration = Configuration(new()
        {
            ["Hub:Partners:CN:Inbound:Type"] = "as2",
        });
        var errors = new List<string>();

        As2ReceiverConfiguration.Load(configuration, As2TestEnvironment.Hub.Certificate, Context(), errors);

        Assert.That(errors, Has.Some.StartsWith("Hub:As2:Id is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:As2Id is empty"));
        Assert.That(errors, Has.Some.StartsWith("Hub:Partners:CN:Inbound:TrustedCertificates is empty"));
    }
}

/// <summary>Certificate rollover: the pinned files are read again when they change, no restart needed.</summary>
public sealed class As2RolloverTests
{
    [Test]
    public async Task A_new_partner_certificate_added_to_the_pinned_file_is_accepted_without_restart()
    {
        var folder = Path.Combine(As2TestEnvironment.Folder, "rollover-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var pins = Path.Combine(folder, "cn-pins.pem");
        File.WriteAllText(pins, As2TestEnvironment.Partner.CertificatePem);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:As2:Id"] = As2TestMessages.HubId,
            ["Hub:Partners:CN:Inbound:Type"] = "as2",
            ["Hub:Partners:CN:Inbound:As2Id"] = As2TestMessages.PartnerId,
            ["Hub:Partners:CN:Inbound:TrustedCertificates:0"] = pins,
        }).Build();
        var errors = new List<string>();
        var options = As2ReceiverConfiguration.Load(configuration, As2TestEnvironment.Hub.Certificate,
            new ChannelContext(folder, TimeProvider.System, NullLoggerFactory.Instance), errors);
        var receiver = new As2Receiver(options, TimeProvider.System, NullLogger<As2Receiver>.Instance);
        var sink = new As2TestSink();
        // CN's next key (here the "stranger" identity) signs from the rollover day on.
        var signedWithNewKey = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Stranger));

        var before = As2TestMessages.ReadMdn(await receiver.HandleAsync(As2TestMessages.EncryptedRequest(signedWithNewKey, "<roll-1@cnsw.test>"), sink, CancellationToken.None));
        File.WriteAllText(pins, As2TestEnvironment.Partner.CertificatePem + As2TestEnvironment.Stranger.CertificatePem);
        File.SetLastWriteTimeUtc(pins, DateTime.UtcNow.AddSeconds(5));
        var after = As2TestMessages.ReadMdn(await receiver.HandleAsync(As2TestMessages.EncryptedRequest(signedWithNewKey, "<roll-2@cnsw.test>"), sink, CancellationToken.None));
        var oldKeyStillWorks = As2TestMessages.ReadMdn(await receiver.HandleAsync(As2TestMessages.EncryptedRequest(
            As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner)), "<roll-3@cnsw.test>"), sink, CancellationToken.None));

        Assert.That(errors, Is.Empty);
        Assert.That(before.Modifier, Is.EqualTo("authentication-failed"));
        Assert.That(after.Processed, Is.True, after.Disposition);
        Assert.That(oldKeyStillWorks.Processed, Is.True, oldKeyStillWorks.Disposition);
        Assert.That(sink.Accepted, Has.Count.EqualTo(2));
    }
}
