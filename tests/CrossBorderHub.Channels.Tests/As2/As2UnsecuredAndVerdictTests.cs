using System.Security.Cryptography;
using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Partners allowed to send without signature, and the sender's verdict on an MDN.</summary>
public sealed class As2UnsecuredAndVerdictTests
{
    private static string DataRoot() => Path.Combine(As2TestEnvironment.Folder, "unsecured-" + Guid.NewGuid().ToString("N")[..8]);

    [Test]
    public async Task Plain_message_is_stored_and_the_mic_covers_the_payload()
    {
        var headers = As2Request.NewHeaders();
        headers["Content-Type"] = "application/edifact";
        headers["Content-Disposition"] = "attachment; filename=\"plain.edi\"";
        headers["AS2-From"] = As2TestMessages.PartnerId;
        headers["AS2-To"] = As2TestMessages.HubId;
        headers["Message-ID"] = "<plain@cnsw.test>";
        headers["Disposition-Notification-To"] = "as2@cnsw.test";
        var sink = new As2TestSink();

        var response = await As2TestMessages.Receiver(DataRoot(), requireSignature: false)
            .HandleAsync(new As2Request(headers, new MemoryStream(As2TestMessages.Edifact)), sink, CancellationToken.None);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Signed, Is.False);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(As2TestMessages.Edifact, HashAlgorithmName.SHA256)));
        Assert.That(sink.Accepted.Single().Origin.RemoteName, Is.EqualTo("plain.edi"));
    }

    [Test]
    public async Task Encrypted_unsigned_message_has_its_mic_over_the_decrypted_entity()
    {
        var entity = As2TestMessages.PayloadEntity();
        var sink = new As2TestSink();

        var response = await As2TestMessages.Receiver(DataRoot(), requireSignature: false)
            .HandleAsync(As2TestMessages.EncryptedRequest(As2TestMessages.OpensslEncrypt(entity)), sink, CancellationToken.None);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(entity, HashAlgorithmName.SHA256)), "RFC 4130 7.3.1: decrypted content including its MIME headers");
    }

    [Test]
    public async Task No_mdn_requested_is_a_plain_200_and_still_stored()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var request = As2TestMessages.Request(signed);
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        headers.Remove("Disposition-Notification-To");
        var sink = new As2TestSink();

        var response = await As2TestMessages.Receiver(DataRoot()).HandleAsync(request with { Headers = headers }, sink, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Headers["Content-Type"], Does.StartWith("text/plain"));
        Assert.That(sink.Accepted, Has.Count.EqualTo(1));
    }

    [TestCase("automatic-action/MDN-sent-automatically; processed", "abc=", "abc=, sha-256", true, false)]
    [TestCase("automatic-action/MDN-sent-automatically; processed", "xyz=", "abc=, sha-256", false, false)]
    [TestCase("automatic-action/MDN-sent-automatically; processed/error: decryption-failed", null, "abc=, sha-256", false, true)]
    [TestCase("automatic-action/MDN-sent-automatically; processed/warning: duplicate-document", "abc=", "abc=, sha-256", true, false)]
    [TestCase("automatic-action/MDN-sent-automatically; failed/Failure: unsupported format", null, "abc=, sha-256", false, true)]
    public void Mdn_verdict(string disposition, string? mic, string expectedMic, bool delivered, bool permanent)
    {
        var (processed, modifier) = As2Mdn.ParseDisposition(disposition);
        var verdict = As2MdnCheck.Judge(new As2MdnReport("<id>", disposition, processed, modifier, mic, "sha-256", true), expectedMic);

        Assert.That(verdict.Delivered, Is.EqualTo(delivered), verdict.Detail);
        Assert.That(verdict.Permanent, Is.EqualTo(permanent), verdict.Detail);
        Assert.That(Encoding.UTF8.GetByteCount(verdict.Detail), Is.GreaterThan(10));
    }
}
