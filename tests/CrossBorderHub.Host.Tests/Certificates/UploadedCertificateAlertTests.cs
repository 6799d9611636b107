using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Host.Tests.Certificates;

/// <summary>
/// Found merging the certificate store with the alerts: the expiry rule looked only at configured files, so a
/// partner certificate uploaded in the admin web could expire without an alert.
/// </summary>
[NonParallelizable]
public sealed class UploadedCertificateAlertTests
{
    [Test]
    public async Task A_partner_certificate_uploaded_in_the_admin_web_alerts_before_it_expires()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Alerts"] = new JsonObject { ["Interval"] = "00:00:00.500", ["DeadLetters"] = false, ["CertificateExpiresWithinDays"] = 30 },
            },
        });
        await hub.StartAsync();
        using var http = await hub.ClientAsync();
        async Task<List<string>> OpenAsync() => [.. JsonNode.Parse(await http.GetStringAsync(new Uri("/api/alerts", UriKind.Relative)))!["alerts"]!.AsArray()
            .Where(a => a!["clearedAt"] is null && a["rule"]!.GetValue<string>() == "certificate-expiry").Select(a => a!["summary"]!.GetValue<string>())];

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(await OpenAsync(), Is.Empty, "nothing the hub starts with expires within 30 days\n" + hub.Log);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var soon = new CertificateRequest("CN=CN signer expiring", key, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddYears(-1), now.AddDays(10));
        using (var upload = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative),
                   CertificateRolloverTests.Upload(System.Text.Encoding.ASCII.GetBytes(soon.ExportCertificatePem()), "soon.pem", "CN", "signature")))
        {
            Assert.That(upload.IsSuccessStatusCode, Is.True, await upload.Content.ReadAsStringAsync());
        }
        Assert.That(await HubProcess.EventuallyAsync(async () => (await OpenAsync()).Any(s => s.Contains("partner CN (uploaded", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
            Is.True, string.Join("\n", await OpenAsync()) + "\n" + hub.Log);
    }
}
