using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Channels.As2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// The outbound channel against a real HTTP receiver playing the partner (keys swapped: the partner decrypts with its
/// key and trusts the hub's certificate), and what it sends checked by openssl.
/// </summary>
public sealed class As2SenderTests
{
    private string _hubData = "";
    private string _partnerData = "";

    [SetUp]
    public void SetUp()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        _hubData = Path.Combine(As2TestEnvironment.Folder, "hub-" + id);
        _partnerData = Path.Combine(As2TestEnvironment.Folder, "partner-" + id);
    }

    /// <summary>The partner's station: our receiver with the partner's identity, trusting the hub's certificate.</summary>
    internal static As2Receiver PartnerStation(string dataRoot, TestIdentity? trusted = null) =>
        new(new As2ReceiverOptions
        {
            HubIds = [As2TestMessages.PartnerId],
            HubCertificate = As2TestEnvironment.Partner.Certificate,
            DataRoot = dataRoot,
            Partners = [new As2PartnerProfile { Partner = "XB", As2Id = As2TestMessages.HubId, TrustedCertificates = [(trusted ?? As2TestEnvironment.Hub).Certificate] }],
        }, TimeProvider.System, NullLogger<As2Receiver>.Instance);

    internal static IOutboundChannel Channel(string dataRoot, Uri url, Dictionary<string, string?>? overrides = null, Func<X509Certificate2>? hubCertificate = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Outbound:Type"] = "as2",
            ["Outbound:Url"] = url.ToString(),
            ["Outbound:As2From"] = As2TestMessages.HubId,
            ["Outbound:As2To"] = As2TestMessages.PartnerId,
            ["Outbound:PartnerCertificates:0"] = As2TestEnvironment.Partner.CertificatePath,
            ["Outbound:HubCertificate"] = As2TestEnvironment.Hub.CertificatePath,
            ["Outbound:HubPrivateKey"] = As2TestEnvironment.Hub.KeyPath,
            ["Outbound:Timeout"] = "00:00:20",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            values["Outbound:" + key] = value;
        }
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Outbound");
        var settings = new ChannelSettings("CN", "as2", section, new ChannelContext(dataRoot, TimeProvider.System, NullLoggerFactory.Instance) { HubCertificate = hubCertificate });
        var errors = new List<string>();
        new As2ChannelFactory().Validate(settings, errors);
        Assert.That(errors, Is.Empty);
        return new As2ChannelFactory().CreateOutbound(settings);
    }

    internal static OutboundDocument Document(string id = "doc-1", byte[]? content = null)
    {
        var bytes = content ?? As2TestMessages.Edifact;
        return new OutboundDocument(id, "cusdec-" + id + ".edi", bytes.Length, _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes)), new Dictionary<string, string>());
    }

    [TestCase("aes256-cbc", "rsa", "sha256", false)]
    [TestCase("aes128-cbc", "rsa-oaep", "sha512", true)]
    [TestCase("3des", "rsa", "sha1", false)]
    public async Task Signed_encrypted_message_with_sync_mdn_is_delivered(string cipher, string keyEncryption, string digest, bool compress)
    {
        var sink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), sink);
        await using var channel = Channel(_hubData, partner.Url, new()
        {
            ["EncryptionAlgorithm"] = cipher, ["KeyEncryption"] = keyEncryption, ["SignatureAlgorithm"] = digest, ["Compress"] = compress.ToString(),
        });

        var result = await channel.SendAsync(Document(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
        Assert.That(result.Detail, Does.Contain("signed MDN").And.Contain("matches"));
        Assert.That(sink.Accepted.Single().Content, Is.EqualTo(As2TestMessages.Edifact));
        Assert.That(sink.Accepted.Single().Origin.RemoteName, Is.EqualTo("cusdec-doc-1.edi"));
    }

    [Test]
    public async Task What_the_hub_sends_decrypts_verifies_and_decompresses_with_openssl_and_python_zlib()
    {
        var sink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), sink, capture: true);
        await using var channel = Channel(_hubData, partner.Url, new() { ["Compress"] = "true" });
        var result = await channel.SendAsync(Document(), CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);

        var (headers, body) = partner.Requests.Single();
        Assert.That(headers["Content-Type"], Does.Contain("enveloped-data"));
        var partnerId = As2TestEnvironment.Partner;
        var signed = As2TestEnvironment.Run("openssl", $"cms -decrypt -binary -inform DER -recip {partnerId.CertificatePath} -inkey {partnerId.KeyPath}", body);
        var compressedEntity = As2TestEnvironment.Run("openssl", $"cms -verify -binary -crlfeol -CAfile {As2TestEnvironment.Hub.CertificatePath} -purpose any", signed);
        var text = Encoding.Latin1.GetString(compressedEntity);
        Assert.That(text, Does.StartWith("Content-Type: application/pkcs7-mime; smime-type=compressed-data"));
        // Debian's openssl has no zlib, so `openssl cms -uncompress` is unavailable: openssl parses the ASN.1 and
        // python's zlib inflates the content, both independent of .NET.
        var der = compressedEntity[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var asn1 = Encoding.ASCII.GetString(As2TestEnvironment.Run("openssl", "asn1parse -inform DER", der));
        Assert.That(asn1, Does.Contain("id-smime-ct-compressedData").And.Contain("zlib compress"));
        var hex = asn1.Split('\n').Last(l => l.Contains("OCTET STRING", StringComparison.Ordinal)).Split("[HEX DUMP]:")[1].Trim();
        var inflated = As2TestEnvironment.Run("python3", "-c \"import sys,zlib; sys.stdout.buffer.write(zlib.decompress(bytes.fromhex(sys.stdin.read())))\"", Encoding.ASCII.GetBytes(hex));
        Assert.That(Encoding.Latin1.GetString(inflated), Does.EndWith("\r\n\r\n" + Encoding.Latin1.GetString(As2TestMessages.Edifact)));
    }

    [Test]
    public async Task Negative_mdn_is_rejected_with_its_disposition()
    {
        var sink = new As2TestSink();
        // The partner pins a different certificate than the one the hub signs with.
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData, trusted: As2TestEnvironment.Stranger), sink);
        await using var channel = Channel(_hubData, partner.Url);

        var result = await channel.SendAsync(Document(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Rejected), result.Detail);
        Assert.That(result.Detail, Does.Contain("authentication-failed"));
        Assert.That(sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Mdn_signed_by_an_unpinned_certificate_is_not_taken_as_delivery()
    {
        var sink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), sink);
        // The hub pins only the stranger for this partner's MDNs, but encrypts to the partner.
        await using var channel = Channel(_hubData, partner.Url, new()
        {
            ["PartnerCertificates:0"] = As2TestEnvironment.Stranger.CertificatePath,
            ["PartnerCertificates:1"] = As2TestEnvironment.Partner.CertificatePath,
            ["Encrypt"] = "false",
        });
        await using var strictChannel = Channel(_hubData, partner.Url, new() { ["PartnerCertificates:0"] = As2TestEnvironment.Stranger.CertificatePath, ["Encrypt"] = "false" });

        var rollover = await channel.SendAsync(Document("roll"), CancellationToken.None);
        var wrong = await strictChannel.SendAsync(Document("strict"), CancellationToken.None);

        Assert.That(rollover.Outcome, Is.EqualTo(SendOutcome.Delivered), "any pinned certificate verifies the MDN during a rollover: " + rollover.Detail);
        Assert.That(wrong.Outcome, Is.EqualTo(SendOutcome.RetryLater), wrong.Detail);
        Assert.That(wrong.Detail, Does.Contain("not from a pinned certificate"));
    }

    [Test]
    public async Task Unreachable_partner_is_retry_later()
    {
        await using var channel = Channel(_hubData, new Uri("http://127.0.0.1:9/as2"));
        var result = await channel.SendAsync(Document(), CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.RetryLater), result.Detail);
    }

    [Test]
    public async Task Resend_after_a_lost_answer_reuses_the_message_id_and_is_not_stored_twice()
    {
        var sink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), sink);
        await using var channel = Channel(_hubData, partner.Url);

        var first = await channel.SendAsync(Document("same"), CancellationToken.None);
        var second = await channel.SendAsync(Document("same"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(SendOutcome.Delivered), first.Detail);
        Assert.That(second.Outcome, Is.EqualTo(SendOutcome.Delivered), second.Detail);
        Assert.That(sink.Accepted, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Async_mdn_is_matched_and_the_next_attempt_reports_delivered()
    {
        var partnerSink = new As2TestSink();
        var hubSink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), partnerSink);
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(_hubData), hubSink);
        await using var channel = Channel(_hubData, partner.Url, new() { ["Mdn"] = "async", ["MdnUrl"] = hub.Url.ToString() });

        var first = await channel.SendAsync(Document("async-1"), CancellationToken.None);
        Assert.That(first.Outcome, Is.EqualTo(SendOutcome.RetryLater), first.Detail);
        Assert.That(first.Detail, Does.Contain("waiting for the asynchronous MDN"));
        await WaitForAsyncMdns(partner);
        var second = await channel.SendAsync(Document("async-1"), CancellationToken.None);

        Assert.That(second.Outcome, Is.EqualTo(SendOutcome.Delivered), second.Detail);
        Assert.That(second.Detail, Does.Contain("signed MDN"));
        Assert.That(partnerSink.Accepted, Has.Count.EqualTo(1));
        Assert.That(hubSink.Accepted, Is.Empty, "an MDN is not a document");
    }

    [Test]
    public async Task Async_mdn_not_received_in_time_is_sent_again_with_the_same_message_id()
    {
        var partnerSink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(PartnerStation(_partnerData), partnerSink);
        // The MDN goes to a closed port: it never arrives.
        await using var channel = Channel(_hubData, partner.Url, new() { ["Mdn"] = "async", ["MdnUrl"] = "http://127.0.0.1:9/as2", ["MdnTimeout"] = "00:00:00" });

        var first = await channel.SendAsync(Document("lost"), CancellationToken.None);
        var second = await channel.SendAsync(Document("lost"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(second.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(partner.AsyncMdnDeliveries, Has.Count.EqualTo(2), "the partner answered both posts");
        Assert.That(partnerSink.Accepted, Has.Count.EqualTo(1), "same Message-ID: the partner stored it once");
    }

    private static async Task WaitForAsyncMdns(As2TestServer server)
    {
        for (var i = 0; i < 100 && server.AsyncMdnDeliveries.IsEmpty; i++)
        {
            await Task.Delay(50);
        }
        foreach (var delivery in server.AsyncMdnDeliveries)
        {
            Assert.That(await delivery, Is.True, "the async MDN was delivered");
        }
    }
}

/// <summary>Asynchronous MDNs arriving at the hub's endpoint that must not acknowledge anything.</summary>
public sealed class As2AsyncMdnIntakeTests
{
    [Test]
    public async Task Async_mdn_signed_by_an_unpinned_key_is_refused_and_acknowledges_nothing()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var hubData = Path.Combine(As2TestEnvironment.Folder, "mdn-intake-" + id);
        var partnerSink = new As2TestSink();
        // The "partner" station signs its MDNs with the stranger's key.
        var impostor = new As2Receiver(new As2ReceiverOptions
        {
            HubIds = [As2TestMessages.PartnerId],
            HubCertificate = As2TestEnvironment.Stranger.Certificate,
            DataRoot = Path.Combine(As2TestEnvironment.Folder, "impostor-" + id),
            Partners = [new As2PartnerProfile { Partner = "XB", As2Id = As2TestMessages.HubId, TrustedCertificates = [As2TestEnvironment.Hub.Certificate] }],
        }, TimeProvider.System, NullLogger<As2Receiver>.Instance);
        await using var partner = await As2TestServer.StartAsync(impostor, partnerSink);
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(hubData), new As2TestSink());
        await using var channel = As2SenderTests.Channel(hubData, partner.Url, new() { ["Mdn"] = "async", ["MdnUrl"] = hub.Url.ToString(), ["Encrypt"] = "false" });

        await channel.SendAsync(As2SenderTests.Document("impostor"), CancellationToken.None);
        for (var i = 0; i < 100 && partner.AsyncMdnDeliveries.IsEmpty; i++)
        {
            await Task.Delay(50);
        }
        var posted = await partner.AsyncMdnDeliveries.Single();
        var again = await channel.SendAsync(As2SenderTests.Document("impostor"), CancellationToken.None);

        Assert.That(posted, Is.False, "the hub answered 403 to the MDN (the sender retries, then gives up)");
        Assert.That(again.Outcome, Is.EqualTo(SendOutcome.RetryLater), again.Detail);
        Assert.That(again.Detail, Does.Contain("waiting for the asynchronous MDN"));
    }
}
