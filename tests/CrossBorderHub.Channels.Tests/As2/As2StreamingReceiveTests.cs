using System.Security.Cryptography;
using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// The flat-memory path for large messages (file-to-file decryption, scanned multipart/signed, payload as a file
/// range), forced on small openssl-built messages by a zero threshold, plus its fall-backs to the in-memory path.
/// </summary>
public sealed class As2StreamingReceiveTests() : As2ReceiverFixture("stream-")
{
    private Task<As2Response> Receive(byte[] encrypted, string micalg = "sha-256") =>
        As2TestMessages.Receiver(DataRoot, streamingThreshold: 0).HandleAsync(As2TestMessages.EncryptedRequest(encrypted, micalg: micalg), Sink, CancellationToken.None);

    [TestCase("aes-256-cbc", false, "sha256", "sha-256", 118)]
    [TestCase("aes-128-cbc", true, "sha256", "sha-1", 3 * 1024 * 1024 + 17)]
    [TestCase("des-ede3-cbc", false, "sha512", "sha-512", 1024 * 1024 - 5)]
    public async Task Large_path_stores_the_payload_and_answers_the_right_mic(string cipher, bool oaep, string signDigest, string micalg, int size)
    {
        var content = size == 118 ? As2TestMessages.Edifact : Enumerable.Range(0, size).Select(i => (byte)('A' + i % 26)).ToArray();
        var entity = As2TestMessages.PayloadEntity(content);
        var encrypted = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(entity, As2TestEnvironment.Partner, signDigest), cipher, oaep);

        var response = await Receive(encrypted, micalg);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(entity, As2Algorithms.Digest(micalg)!.Value)));
        Assert.That(Sink.Accepted.Single().Content, Is.EqualTo(content));
        Assert.That(Sink.Accepted.Single().Origin.RemoteName, Is.EqualTo("cusdec.edi"));
        Assert.That(Directory.GetFiles(Path.Combine(DataRoot, "as2", "spool")), Is.Empty, "spool and decrypted files are removed");
    }

    [Test]
    public async Task Large_path_refuses_an_unpinned_signer()
    {
        var encrypted = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Stranger));
        var mdn = As2TestMessages.ReadMdn(await Receive(encrypted));
        Assert.That(mdn.Modifier, Is.EqualTo("authentication-failed"));
        Assert.That(Sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Large_path_refuses_a_tampered_body()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var tampered = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(signed).Replace("CUSDEC", "CUSRES", StringComparison.Ordinal));
        var mdn = As2TestMessages.ReadMdn(await Receive(As2TestMessages.OpensslEncrypt(tampered)));
        Assert.That(mdn.Modifier, Is.EqualTo("integrity-check-failed"));
        Assert.That(Sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Large_path_refuses_a_message_for_another_recipient_and_a_truncated_one()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var other = As2TestMessages.ReadMdn(await Receive(As2TestMessages.OpensslEncrypt(signed, recipient: As2TestEnvironment.Stranger)));
        var encrypted = As2TestMessages.OpensslEncrypt(signed);
        var truncated = As2TestMessages.ReadMdn(await Receive(encrypted[..(encrypted.Length - 100)]));

        Assert.That(other.Modifier, Is.EqualTo("decryption-failed"));
        Assert.That(truncated.Modifier, Is.EqualTo("decryption-failed"));
        Assert.That(Sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Shapes_it_does_not_stream_fall_back_to_the_in_memory_path()
    {
        var entity = As2TestMessages.PayloadEntity();
        var compressedInside = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(As2MimeBuilder.Compress(entity).ToEntity("binary"), As2TestEnvironment.Partner));
        var gcm = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(entity, As2TestEnvironment.Partner), "aes-128-gcm");

        var first = As2TestMessages.ReadMdn(await Receive(compressedInside));
        var second = As2TestMessages.ReadMdn(await Receive(gcm));

        Assert.That(first.Processed && second.Processed, Is.True, first.Disposition + " / " + second.Disposition);
        Assert.That(second.Mic, Is.EqualTo(As2TestMessages.Mic(entity, HashAlgorithmName.SHA256)));
        Assert.That(Sink.Accepted, Has.Count.EqualTo(2));
    }
}
