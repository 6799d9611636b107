using CrossBorderHub.Channels.As2;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Start-up validation: every unusable AS2 setting is reported with its path and the fix.</summary>
[TestFixture]
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
        Assert.That(partner.TrustedCertificates, Has.Count.EqualTo(1));
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
