using System.Text.Json.Nodes;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Interoperability with libas2 (an independent AS2 implementation on Node.js), both directions.</summary>
public sealed class LibAs2InteropTests
{
    private string _dataRoot = "";

    [SetUp]
    public void SetUp() => _dataRoot = Path.Combine(As2TestEnvironment.Folder, "libas2-" + Guid.NewGuid().ToString("N")[..8]);

    private static object ClientInput(Uri url, string encrypt, string sign, bool async) => new
    {
        url = url.ToString(),
        from = As2TestMessages.PartnerId,
        to = As2TestMessages.HubId,
        payload = Encoding.ASCII.GetString(As2TestMessages.Edifact),
        partnerCert = As2TestEnvironment.Partner.CertificatePem,
        partnerKey = As2TestEnvironment.Partner.KeyPem,
        hubCert = As2TestEnvironment.Hub.CertificatePem,
        hubKey = As2TestEnvironment.Hub.KeyPem,
        encrypt,
        sign,
        mdnSigning = sign,
        async,
    };

    [TestCase("aes256-CBC", "sha-256", false)]
    [TestCase("aes128-GCM", "sha-256", false)] // PKI.js: 16-byte IV, bare OCTET STRING parameters
    [TestCase("aes256-GCM", "sha-384", false)]
    [TestCase("des-EDE3-CBC", "sha-1", false)]
    [TestCase("aes128-CBC", "sha-512", true)]
    public async Task Libas2_client_sends_signed_encrypted_and_verifies_the_hubs_signed_mdn_and_mic(string encrypt, string sign, bool async)
    {
        var sink = new As2TestSink();
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(_dataRoot, requireEncryption: true), sink);

        var result = LibAs2.Run("send.js", ClientInput(hub.Url, encrypt, sign, async));

        Assert.That((int)result["status"]!, Is.EqualTo(200), result.ToJsonString());
        Assert.That((bool?)result["processed"], Is.True, result.ToJsonString());
        Assert.That((string?)result["mic"], Is.EqualTo((string?)result["expectedMic"]), "the hub's MIC equals libas2's digest of what it signed: " + result.ToJsonString());
        Assert.That((string?)result["micAlgorithm"], Is.EqualTo(sign));
        Assert.That((string?)result["originalMessageId"], Is.EqualTo((string?)result["messageId"]));
        Assert.That(sink.Accepted.Single().Content, Is.EqualTo(As2TestMessages.Edifact));
    }

    [Test]
    public async Task Libas2_client_signed_by_an_unpinned_key_gets_a_negative_mdn()
    {
        var sink = new As2TestSink();
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(_dataRoot), sink);
        var input = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ClientInput(hub.Url, "aes256-CBC", "sha-256", false)))!.AsObject();
        input["partnerCert"] = As2TestEnvironment.Stranger.CertificatePem;
        input["partnerKey"] = As2TestEnvironment.Stranger.KeyPem;

        var result = LibAs2.Run("send.js", input);

        // libas2 reads "processed/error: authentication-failed" as processed with an error description.
        Assert.That((string?)result["disposition"]!["description"]!["type"], Is.EqualTo("error: authentication-failed"), result.ToJsonString());
        Assert.That((string?)result["mic"], Is.Null, "no MIC for a message that was not accepted");
        Assert.That(sink.Accepted, Is.Empty);
    }
}

/// <summary>
/// The hub sends to a libas2 server, which decrypts, verifies and answers with its MDN. Node 20 refuses RSA PKCS#1 v1.5
/// decryption (CVE-2023-46809), so these channels use KeyEncryption rsa-oaep, and base64 because libas2 reads text.
/// </summary>
public sealed class LibAs2ReceiverInteropTests
{
    private static object ServerInput(bool mdnSigned = true) => new
    {
        id = As2TestMessages.PartnerId,
        cert = As2TestEnvironment.Partner.CertificatePem,
        key = As2TestEnvironment.Partner.KeyPem,
        decrypt = true,
        partnerId = As2TestMessages.HubId,
        partnerCert = As2TestEnvironment.Hub.CertificatePem,
        mdnSigning = mdnSigned ? "sha-256" : (object)false,
    };

    [TestCase("aes256-cbc", "sha256")]
    [TestCase("aes128-cbc", "sha1")]
    [TestCase("3des", "sha256")]
    public async Task Hub_sends_signed_encrypted_and_verifies_the_signed_mdn_libas2_returns(string cipher, string digest)
    {
        using var libas2 = LibAs2Server.Start(ServerInput());
        var hubData = Path.Combine(As2TestEnvironment.Folder, "to-libas2-" + Guid.NewGuid().ToString("N")[..8]);
        await using var channel = As2SenderTests.Channel(hubData, libas2.Url, new()
        {
            ["EncryptionAlgorithm"] = cipher, ["SignatureAlgorithm"] = digest, ["ContentTransferEncoding"] = "base64", ["KeyEncryption"] = "rsa-oaep",
        });

        var result = await channel.SendAsync(As2SenderTests.Document("to-libas2"), CancellationToken.None);
        var received = libas2.Next();

        Assert.That(received["error"], Is.Null, received.ToJsonString());
        // libas2's MIME parser hands out a binary part with a CRLF appended; the bytes before it are ours.
        Assert.That(Encoding.ASCII.GetString(Convert.FromBase64String((string)received["content"]!)).TrimEnd('\r', '\n'), Is.EqualTo(Encoding.ASCII.GetString(As2TestMessages.Edifact)), received.ToJsonString());
        Assert.That((bool)received["processed"]!, Is.True, received.ToJsonString());
        Assert.That(result.Outcome, Is.EqualTo(Core.Channels.SendOutcome.Delivered), result.Detail);
        Assert.That(result.Detail, Does.Contain("signed MDN").And.Contain((string)received["mic"]!));
    }

    [Test]
    public async Task Hub_sends_with_async_mdn_and_libas2_posts_it_back()
    {
        using var libas2 = LibAs2Server.Start(ServerInput());
        var hubData = Path.Combine(As2TestEnvironment.Folder, "to-libas2-async-" + Guid.NewGuid().ToString("N")[..8]);
        var hubSink = new As2TestSink();
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(hubData), hubSink);
        await using var channel = As2SenderTests.Channel(hubData, libas2.Url, new()
        {
            ["ContentTransferEncoding"] = "base64", ["KeyEncryption"] = "rsa-oaep", ["Mdn"] = "async", ["MdnUrl"] = hub.Url.ToString(),
        });

        var first = await channel.SendAsync(As2SenderTests.Document("async-libas2"), CancellationToken.None);
        var received = libas2.Next();
        var second = await channel.SendAsync(As2SenderTests.Document("async-libas2"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(Core.Channels.SendOutcome.RetryLater), first.Detail);
        Assert.That((int?)received["asyncStatus"], Is.EqualTo(200), received.ToJsonString());
        Assert.That(second.Outcome, Is.EqualTo(Core.Channels.SendOutcome.Delivered), second.Detail);
        Assert.That(hubSink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Mdn_that_libas2_signs_is_refused_when_its_certificate_is_not_pinned()
    {
        using var libas2 = LibAs2Server.Start(ServerInput());
        var hubData = Path.Combine(As2TestEnvironment.Folder, "to-libas2-bad-" + Guid.NewGuid().ToString("N")[..8]);
        await using var channel = As2SenderTests.Channel(hubData, libas2.Url, new()
        {
            ["ContentTransferEncoding"] = "base64", ["KeyEncryption"] = "rsa-oaep", ["Encrypt"] = "false", ["PartnerCertificates:0"] = As2TestEnvironment.Stranger.CertificatePath,
        });

        var result = await channel.SendAsync(As2SenderTests.Document("bad-mdn"), CancellationToken.None);
        libas2.Next();

        Assert.That(result.Outcome, Is.EqualTo(Core.Channels.SendOutcome.RetryLater), result.Detail);
        Assert.That(result.Detail, Does.Contain("not from a pinned certificate"));
    }
}
