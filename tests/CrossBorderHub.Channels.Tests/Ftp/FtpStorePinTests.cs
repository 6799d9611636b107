using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Core.Certificates;

namespace CrossBorderHub.Channels.Tests.Ftp;

/// <summary>FTPS against vsftpd's self-signed certificate pinned in the certificate store (the admin web) instead of CertificateSha256.</summary>
public sealed class FtpStorePinTests
{
    private static VsftpdServer Server => VsftpdServer.Shared;

    private static CertificatePins Pins(CertificateUses uses, DateTimeOffset notAfter)
    {
        var certificate = PublicCertificate.Read(File.ReadAllBytes(Path.Combine(Server.Root, "cert.pem")));
        var stored = PublicCertificate.ToStored(certificate, "TH", uses, DateTimeOffset.UtcNow, "admin");
        var pins = new CertificatePins();
        pins.Replace([stored with { NotAfter = notAfter }]);
        return pins;
    }

    private static async Task<SendResult> SendAsync(CertificatePins pins)
    {
        var values = Server.Settings(Server.NewFolder("storepin"));
        values["CertificateSha256"] = null;
        var settings = TestChannels.Settings("TH", "Outbound", values, Server.Root);
        settings = settings with { Context = settings.Context with { Pins = pins } };
        await using var channel = new FtpChannelFactory().CreateOutbound(settings);
        return await channel.SendAsync(TestChannels.Document("pinned.edi", "UNB"u8.ToArray()), CancellationToken.None);
    }

    [Test]
    public async Task A_self_signed_server_certificate_pinned_in_the_store_for_ftps_is_accepted()
    {
        var result = await SendAsync(Pins(CertificateUses.Ftps, DateTimeOffset.UtcNow.AddDays(1)));
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Delivered), result.Detail);
    }

    [Test]
    public async Task A_store_pin_for_another_use_or_outside_its_validity_is_not_accepted()
    {
        var signatureOnly = await SendAsync(Pins(CertificateUses.Signature, DateTimeOffset.UtcNow.AddDays(1)));
        Assert.That(signatureOnly.Outcome, Is.EqualTo(SendOutcome.RetryLater));
        Assert.That(signatureOnly.Detail, Does.Contain("TLS handshake refused"));
        // The pin's window (as the store records it) has ended: the rollover is over, this certificate no longer counts.
        var ended = await SendAsync(Pins(CertificateUses.Ftps, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.That(ended.Outcome, Is.EqualTo(SendOutcome.RetryLater));
    }
}
