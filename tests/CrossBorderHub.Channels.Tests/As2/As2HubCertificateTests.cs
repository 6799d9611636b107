namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// Issue 13: the hub certificate reaches outbound AS2 channels through <see cref="ChannelContext.HubCertificate"/>,
/// not through a static set by the endpoint. The partner trusts only the hub's certificate, so a channel that signed
/// with anything else (the development certificate) gets no positive MDN.
/// </summary>
public sealed class As2HubCertificateTests
{
    [Test]
    public async Task An_outbound_channel_without_its_own_certificate_signs_with_the_one_in_the_channel_context()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var sink = new As2TestSink();
        await using var partner = await As2TestServer.StartAsync(As2SenderTests.PartnerStation(Path.Combine(As2TestEnvironment.Folder, "partner-" + id)), sink);
        var noOwnCertificate = new Dictionary<string, string?> { ["HubCertificate"] = null, ["HubPrivateKey"] = null, ["Encrypt"] = "false" };
        await using var withContext = As2SenderTests.Channel(Path.Combine(As2TestEnvironment.Folder, "hub-" + id), partner.Url, noOwnCertificate,
            () => As2TestEnvironment.Hub.Certificate);
        await using var withoutContext = As2SenderTests.Channel(Path.Combine(As2TestEnvironment.Folder, "bare-" + id), partner.Url, noOwnCertificate);

        var signedByHub = await withContext.SendAsync(As2SenderTests.Document("context"), CancellationToken.None);
        var signedByDevelopment = await withoutContext.SendAsync(As2SenderTests.Document("development"), CancellationToken.None);

        Assert.That(signedByHub.Outcome, Is.EqualTo(SendOutcome.Delivered), signedByHub.Detail);
        Assert.That(signedByDevelopment.Outcome, Is.Not.EqualTo(SendOutcome.Delivered), "without a context certificate the development one signs, which the partner does not trust: " + signedByDevelopment.Detail);
        Assert.That(sink.Accepted, Has.Count.EqualTo(1));
    }
}
