using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Hostile and broken input: the right negative MDN or HTTP status, and nothing stored.</summary>
public sealed class As2BadInputTests() : As2ReceiverFixture("data-")
{
    private async Task<As2MdnReport> NegativeMdn(As2Request request, As2Receiver? receiver = null)
    {
        var response = await (receiver ?? As2TestMessages.Receiver(DataRoot)).HandleAsync(request, Sink, CancellationToken.None);
        Assert.That(response.Status, Is.EqualTo(200), Encoding.UTF8.GetString(response.Body));
        var mdn = As2TestMessages.ReadMdn(response);
        Assert.That(mdn.Processed, Is.False, mdn.Disposition);
        Assert.That(Sink.Accepted, Is.Empty, "nothing may be stored");
        return mdn;
    }

    [Test]
    public async Task Unsigned_message_from_a_partner_that_must_sign_gets_insufficient_message_security()
    {
        var encrypted = As2TestMessages.OpensslEncrypt(As2TestMessages.PayloadEntity());
        var mdn = await NegativeMdn(As2TestMessages.EncryptedRequest(encrypted));
        Assert.That(mdn.Modifier, Is.EqualTo("insufficient-message-security"));
    }

    [Test]
    public async Task Unencrypted_message_from_a_partner_that_must_encrypt_gets_insufficient_message_security()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var mdn = await NegativeMdn(As2TestMessages.Request(signed), As2TestMessages.Receiver(DataRoot, requireEncryption: true));
        Assert.That(mdn.Modifier, Is.EqualTo("insufficient-message-security"));
    }

    [Test]
    public async Task Signed_by_a_certificate_that_is_not_pinned_gets_authentication_failed()
    {
        // Same subject as the partner, its own key, and its certificate travels inside the message: still refused.
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Stranger);
        var mdn = await NegativeMdn(As2TestMessages.EncryptedRequest(As2TestMessages.OpensslEncrypt(signed)));
        Assert.That(mdn.Modifier, Is.EqualTo("authentication-failed"));
    }

    [Test]
    public async Task Tampered_body_gets_integrity_check_failed()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var text = Encoding.Latin1.GetString(signed).Replace("CUSDEC", "CUSRES", StringComparison.Ordinal);
        var mdn = await NegativeMdn(As2TestMessages.Request(Encoding.Latin1.GetBytes(text)));
        Assert.That(mdn.Modifier, Is.EqualTo("integrity-check-failed"));
    }

    [Test]
    public async Task Truncated_signed_mime_gets_integrity_check_failed()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var mdn = await NegativeMdn(As2TestMessages.Request(signed[..(signed.Length * 2 / 3)]));
        Assert.That(mdn.Modifier, Is.EqualTo("integrity-check-failed"));
    }

    [Test]
    public async Task Encrypted_to_another_certificate_gets_decryption_failed()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var encrypted = As2TestMessages.OpensslEncrypt(signed, recipient: As2TestEnvironment.Stranger);
        var mdn = await NegativeMdn(As2TestMessages.EncryptedRequest(encrypted));
        Assert.That(mdn.Modifier, Is.EqualTo("decryption-failed"));
    }

    [Test]
    public async Task Truncated_encrypted_body_gets_decryption_failed()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var encrypted = As2TestMessages.OpensslEncrypt(signed);
        var mdn = await NegativeMdn(As2TestMessages.EncryptedRequest(encrypted[..(encrypted.Length - 40)]));
        Assert.That(mdn.Modifier, Is.EqualTo("decryption-failed"));
    }

    [Test]
    public async Task Unknown_as2_to_is_refused_with_403()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.Request(signed, to: "SOMEONE-ELSE"), Sink, CancellationToken.None);
        Assert.That(response.Status, Is.EqualTo(403));
        Assert.That(Encoding.UTF8.GetString(response.Body), Does.Contain("SOMEONE-ELSE"));
        Assert.That(Sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Unknown_as2_from_is_refused_with_403()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var response = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.Request(signed, from: "INTRUDER"), Sink, CancellationToken.None);
        Assert.That(response.Status, Is.EqualTo(403));
        Assert.That(Sink.Accepted, Is.Empty);
    }

    [Test]
    public async Task Body_over_the_limit_is_refused_with_413_without_reading_it_all()
    {
        var receiver = As2TestMessages.Receiver(DataRoot, maxBody: 1024 * 1024);
        var huge = new As2TestLargeStream(64L * 1024 * 1024);
        var headers = As2Request.NewHeaders();
        headers["Content-Type"] = "application/edifact";
        headers["AS2-From"] = As2TestMessages.PartnerId;
        headers["AS2-To"] = As2TestMessages.HubId;
        headers["Message-ID"] = "<huge@cnsw.test>";

        var response = await receiver.HandleAsync(new As2Request(headers, huge), Sink, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(413));
        Assert.That(huge.Position, Is.LessThan(2L * 1024 * 1024), "stops reading soon after the limit");
        Assert.That(Sink.Accepted, Is.Empty);
        Assert.That(Directory.GetFiles(Path.Combine(DataRoot, "as2", "spool")), Is.Empty, "the spool file is removed");
    }

    [Test]
    public async Task Replayed_message_id_is_answered_with_the_same_mdn_and_stored_once()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        var encrypted = As2TestMessages.OpensslEncrypt(signed);
        var receiver = As2TestMessages.Receiver(DataRoot);

        var first = await receiver.HandleAsync(As2TestMessages.EncryptedRequest(encrypted, "<same@cnsw.test>"), Sink, CancellationToken.None);
        var second = await As2TestMessages.Receiver(DataRoot).HandleAsync(As2TestMessages.EncryptedRequest(encrypted, "<same@cnsw.test>"), Sink, CancellationToken.None);

        Assert.That(Sink.Accepted, Has.Count.EqualTo(1));
        Assert.That(second.Body, Is.EqualTo(first.Body));
        Assert.That(As2TestMessages.ReadMdn(second).Processed, Is.True);
    }

    [Test]
    public async Task Store_failure_answers_503_without_mdn_so_the_partner_resends()
    {
        var signed = As2TestMessages.OpensslSign(As2TestMessages.PayloadEntity(), As2TestEnvironment.Partner);
        Sink.Fail = true;
        var receiver = As2TestMessages.Receiver(DataRoot);

        var response = await receiver.HandleAsync(As2TestMessages.Request(signed, "<retry@cnsw.test>"), Sink, CancellationToken.None);
        Sink.Fail = false;
        var again = await receiver.HandleAsync(As2TestMessages.Request(signed, "<retry@cnsw.test>"), Sink, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(503));
        Assert.That(As2TestMessages.ReadMdn(again).Processed, Is.True, "the resend is processed: the failed one was not recorded as seen");
        Assert.That(Sink.Accepted, Has.Count.EqualTo(1));
    }
}

/// <summary>A large body generated on the fly, so the limit test never allocates it.</summary>
internal sealed class As2TestLargeStream(long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        buffer.AsSpan(offset, n).Fill((byte)'A');
        _position += n;
        return n;
    }
}
