using System.Security.Cryptography;
using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>The receiving station against messages that openssl signed and encrypted (an independent CMS stack).</summary>
public sealed class As2ReceiverTests() : As2ReceiverFixture("data-")
{
    [TestCase("aes-128-cbc", false, "sha256", "sha-256")]
    [TestCase("aes-192-cbc", false, "sha256", "sha-256")]
    [TestCase("aes-256-cbc", true, "sha256", "sha-256")]
    [TestCase("des-ede3-cbc", false, "sha1", "sha1")]
    [TestCase("aes-128-gcm", false, "sha256", "sha-256")]
    [TestCase("aes-256-gcm", true, "sha512", "sha-512")]
    public async Task Signed_and_encrypted_by_openssl_is_stored_and_answered_with_a_signed_mdn_whose_mic_matches(string cipher, bool oaep, string signDigest, string micalg)
    {
        var entity = As2TestMessages.PayloadEntity();
        var signed = As2TestMessages.OpensslSign(entity, As2TestEnvironment.Partner, signDigest);
        var encrypted = As2TestMessages.OpensslEncrypt(signed, cipher, oaep);

        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.EncryptedRequest(encrypted, micalg: micalg), Sink, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), Encoding.UTF8.GetString(response.Body));
        Assert.That(Sink.Accepted, Has.Count.EqualTo(1));
        var (origin, content) = Sink.Accepted.Single();
        Assert.That(content, Is.EqualTo(As2TestMessages.Edifact));
        Assert.That(origin.Partner, Is.EqualTo("CN"));
        Assert.That(origin.RemoteName, Is.EqualTo("cusdec.edi"));
        Assert.That(origin.Headers!["AS2-Encrypted"], Is.EqualTo("true"));
        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Signed, Is.True);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        var digest = As2Algorithms.Digest(micalg)!.Value;
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(entity, digest)), "MIC over the signed entity (headers + body)");
        Assert.That(mdn.MicAlgorithm, Is.EqualTo(micalg));
    }

    [Test]
    public async Task Signed_only_message_is_stored_with_mic_over_the_signed_entity()
    {
        var entity = As2TestMessages.PayloadEntity();
        var signed = As2TestMessages.OpensslSign(entity, As2TestEnvironment.Partner);

        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.Request(signed), Sink, CancellationToken.None);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(entity, HashAlgorithmName.SHA256)));
        Assert.That(Sink.Accepted.Single().Content, Is.EqualTo(As2TestMessages.Edifact));
    }

    [Test]
    public async Task The_signed_mdn_verifies_with_openssl()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.Request(signed), Sink, CancellationToken.None);

        var mime = Encoding.ASCII.GetBytes($"Content-Type: {response.Headers["Content-Type"]}\r\n\r\n").Concat(response.Body).ToArray();
        var verified = As2TestEnvironment.Run("openssl", $"cms -verify -binary -crlfeol -CAfile {As2TestEnvironment.Hub.CertificatePath} -purpose any", mime);

        Assert.That(Encoding.ASCII.GetString(verified), Does.Contain("Disposition: automatic-action/MDN-sent-automatically; processed"));
    }

    [Test]
    public async Task Unsigned_mdn_when_none_is_asked_for()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.Request(signed, signedMdn: false), Sink, CancellationToken.None);

        Assert.That(response.Headers["Content-Type"], Does.StartWith("multipart/report"));
        Assert.That(As2TestMessages.ReadMdn(response).Signed, Is.False);
    }

    [Test]
    public async Task Compressed_then_signed_then_encrypted_is_decompressed()
    {
        var entity = As2TestMessages.PayloadEntity();
        var compressed = As2MimeBuilder.Compress(entity).ToEntity("binary");
        var signed = As2TestMessages.OpensslSign(compressed, As2TestEnvironment.Partner);
        var encrypted = As2TestMessages.OpensslEncrypt(signed);

        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.EncryptedRequest(encrypted), Sink, CancellationToken.None);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(compressed, HashAlgorithmName.SHA256)), "RFC 5402: MIC over the signed (compressed) entity");
        Assert.That(Sink.Accepted.Single().Content, Is.EqualTo(As2TestMessages.Edifact));
        Assert.That(Sink.Accepted.Single().Origin.Headers!["AS2-Compressed"], Is.EqualTo("true"));
    }
}

/// <summary>Compressed input built without the hub's code: Python's zlib deflates, `openssl asn1parse -genconf` writes the RFC 3274 structure.</summary>
public sealed class As2IndependentCompressionTests
{
    [Test]
    public async Task Compressed_data_built_by_openssl_genconf_and_python_zlib_is_decompressed_and_stored()
    {
        var entity = As2TestMessages.PayloadEntity();
        var hex = Encoding.ASCII.GetString(As2TestEnvironment.Run("python3", "-c \"import sys,zlib; sys.stdout.write(zlib.compress(sys.stdin.buffer.read()).hex())\"", entity));
        var folder = Path.Combine(As2TestEnvironment.Folder, "genconf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "compressed.cnf");
        var der = Path.Combine(folder, "compressed.der");
        await File.WriteAllTextAsync(config, $"""
            asn1=SEQUENCE:contentInfo
            [contentInfo]
            type=OID:1.2.840.113549.1.9.16.1.9
            content=EXPLICIT:0,SEQUENCE:compressedData
            [compressedData]
            version=INTEGER:0
            algorithm=SEQUENCE:zlib
            encapsulated=SEQUENCE:encapsulated
            [zlib]
            oid=OID:1.2.840.113549.1.9.16.3.8
            [encapsulated]
            type=OID:1.2.840.113549.1.7.1
            content=EXPLICIT:0,FORMAT:HEX,OCTETSTRING:{hex}
            """);
        As2TestEnvironment.Run("openssl", $"asn1parse -genconf {config} -out {der} -noout");
        var compressedEntity = Encoding.ASCII.GetBytes("Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: binary\r\n\r\n")
            .Concat(await File.ReadAllBytesAsync(der)).ToArray();
        var encrypted = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(compressedEntity, As2TestEnvironment.Partner));
        var sink = new As2TestSink();

        var response = await As2TestMessages.Receiver(Path.Combine(folder, "data")).HandleAsync(As2TestMessages.EncryptedRequest(encrypted), sink, CancellationToken.None);

        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.True, mdn.Disposition);
        Assert.That(mdn.Mic, Is.EqualTo(As2TestMessages.Mic(compressedEntity, HashAlgorithmName.SHA256)));
        Assert.That(sink.Accepted.Single().Content, Is.EqualTo(As2TestMessages.Edifact));
    }

    [Test]
    public async Task Corrupt_compressed_data_gets_decompression_failed()
    {
        var compressed = As2MimeBuilder.Compress(As2TestMessages.PayloadEntity()).ToEntity("binary");
        compressed.AsSpan(compressed.Length - 40, 36).Fill(0xFF); // the deflate stream and its checksum
        var encrypted = As2TestMessages.OpensslEncrypt(As2TestMessages.OpensslSign(compressed, As2TestEnvironment.Partner));
        var sink = new As2TestSink();

        var response = await As2TestMessages.Receiver(Path.Combine(As2TestEnvironment.Folder, "corrupt-" + Guid.NewGuid().ToString("N")[..8])).HandleAsync(As2TestMessages.EncryptedRequest(encrypted), sink, CancellationToken.None);

        Assert.That(As2TestMessages.ReadMdn(response).Modifier, Is.EqualTo("decompression-failed"), "ZLibStream alone returns a truncated result here without an error");
        Assert.That(sink.Accepted, Is.Empty);
    }
}
