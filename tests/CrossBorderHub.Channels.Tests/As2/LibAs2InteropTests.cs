using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Interoperability with libas2 (an independent AS2 implementation on Node.js), both directions.</summary>
[TestFixture]
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
    public async Task Libas2_gcm_with_its_16_byte_nonce_gets_a_clear_decryption_failed()
    {
        // PKI.js encrypts AES-GCM with a 16-byte IV written as a bare OCTET STRING; .NET's AesGcm takes 12-byte nonces.
        var sink = new As2TestSink();
        await using var hub = await As2TestServer.StartAsync(As2TestMessages.Receiver(_dataRoot), sink);

        var result = LibAs2.Run("send.js", ClientInput(hub.Url, "aes128-GCM", "sha-256", false));

        Assert.That((string?)result["disposition"]!["description"]!["type"], Is.EqualTo("error: decryption-failed"), result.ToJsonString());
        Assert.That(sink.Accepted, Is.Empty);
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
