using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Host.Tests.Certificates;

/// <summary>
/// Certificates uploaded through /api/certificates on a running hub: a partner's rollover (old and new both pinned,
/// both accepted while valid), an expired one refused, and the hub's own signing certificate replaced without a restart.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CertificateRolloverTests
{
    private sealed record Signer(string Name, X509Certificate2 Certificate, string CertPath, string KeyPath);

    private static async Task<Signer> CreateAsync(string folder, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        var signer = new Signer(name, certificate, Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key"));
        await File.WriteAllTextAsync(signer.CertPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(signer.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return signer;
    }

    internal static MultipartFormDataContent Upload(byte[] file, string fileName, string partner, string uses, string? password = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(partner), "partner" },
            { new StringContent(uses), "uses" },
        };
        if (password is not null)
        {
            form.Add(new StringContent(password), "password");
        }
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        return form;
    }

    [Test]
    public async Task A_document_signed_by_the_old_or_the_new_pinned_certificate_verifies_and_one_signed_by_an_expired_certificate_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("certroll-").FullName;
        var now = DateTimeOffset.UtcNow;
        var old = await CreateAsync(folder, "CN signer 2026", now.AddYears(-1), now.AddDays(10));
        var next = await CreateAsync(folder, "CN signer 2027", now.AddDays(-1), now.AddYears(2));
        var expired = await CreateAsync(folder, "CN signer 2025", now.AddYears(-2), now.AddDays(-3));
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var http = await hub.ClientAsync();

        // Three formats: PEM, DER and a PFX whose key must not be kept.
        using (var pem = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(await File.ReadAllBytesAsync(old.CertPath), "old.pem", "CN", "signature")))
        {
            Assert.That(pem.StatusCode, Is.EqualTo(HttpStatusCode.Created), await pem.Content.ReadAsStringAsync());
        }
        using (var der = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(next.Certificate.RawData, "new.cer", "CN", "signature,as2")))
        {
            Assert.That(der.StatusCode, Is.EqualTo(HttpStatusCode.Created), await der.Content.ReadAsStringAsync());
        }
        var pfx = X509Certificate2.CreateFromPemFile(expired.CertPath, expired.KeyPath).Export(X509ContentType.Pkcs12, "pfx-secret");
        using (var withKey = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(pfx, "expired.pfx", "CN", "signature", "pfx-secret")))
        {
            Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.Created), await withKey.Content.ReadAsStringAsync());
        }
        using (var again = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(await File.ReadAllBytesAsync(old.CertPath), "old.pem", "CN", "signature")))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        }
        using (var unknown = await http.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(await File.ReadAllBytesAsync(old.CertPath), "old.pem", "XX", "signature")))
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("partner 'XX' is not configured").And.Contain("CN, TH"));
        }
        using (var viewer = await hub.ClientAsync("viewer"))
        using (var denied = await viewer.PostAsync(new Uri("/api/certificates", UriKind.Relative), Upload(await File.ReadAllBytesAsync(old.CertPath), "old.pem", "CN", "signature")))
        {
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        foreach (var signer in new[] { old, next, expired })
        {
            var unsigned = Path.Combine(folder, signer.Name + ".xml");
            await File.WriteAllBytesAsync(unsigned, TestDocuments.CertificateOfOrigin("CO-" + signer.Name[^4..]));
            var signedPath = Path.Combine(hub.Folder, signer.Name.Replace(' ', '-') + ".signed.xml");
            var sign = await hub.CliAsync("sign", "--cert", signer.CertPath, "--key", signer.KeyPath, unsigned, "-o", signedPath);
            Assert.That(sign.ExitCode, Is.EqualTo(0), sign.Error);
            File.Move(signedPath, Path.Combine(hub.Drop("CN"), Path.GetFileName(signedPath)));
        }
        Assert.That(await HubProcess.EventuallyAsync(async () => (await hub.MessagesAsync()).Count(m => m!["message"]!["status"]!.GetValue<string>() is "Delivered" or "Rejected") == 3, TimeSpan.FromSeconds(40)), Is.True, hub.Log);
        var messages = (await hub.MessagesAsync()).ToDictionary(m => m!["message"]!["remoteName"]!.GetValue<string>(), m => m!);
        Assert.Multiple(() =>
        {
            Assert.That(messages["CN-signer-2026.signed.xml"]["message"]!["status"]!.GetValue<string>(), Is.EqualTo("Delivered"), "the old certificate, still valid");
            Assert.That(messages["CN-signer-2027.signed.xml"]["message"]!["status"]!.GetValue<string>(), Is.EqualTo("Delivered"), "the new certificate");
            Assert.That(messages["CN-signer-2025.signed.xml"]["message"]!["status"]!.GetValue<string>(), Is.EqualTo("Rejected"), "the expired certificate");
            Assert.That(messages["CN-signer-2025.signed.xml"]["message"]!["reason"]!.GetValue<string>(), Does.Contain("XMLDSIG-CERT-EXPIRED").Or.Contain("valid only from"));
        });

        // Verified, not merely let through: the document records which pinned certificate signed it.
        foreach (var signer in new[] { old, next })
        {
            var verify = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/documents/verify?type=CertificateOfOrigin&number=CO-{signer.Name[^4..]}&country=CN", UriKind.Relative)))!;
            Assert.That(verify["signature"]!["verified"]!.GetValue<bool>(), Is.True, verify.ToJsonString());
            Assert.That(verify["signature"]!["subject"]!.GetValue<string>(), Is.EqualTo("CN=" + signer.Name));
        }

        var listed = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/certificates", UriKind.Relative)))!.AsArray();
        var stored = listed.Where(c => c!["source"]!.GetValue<string>() == "store").ToList();
        Assert.That(stored.Select(c => c!["subject"]!.GetValue<string>()), Is.EqualTo(new[] { "CN=CN signer 2025", "CN=CN signer 2026", "CN=CN signer 2027" }), "soonest expiry first");
        Assert.That(stored.Select(c => c!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "expired", "expiring", "valid" }));
        Assert.That(listed.Any(c => c!["usedFor"]!.GetValue<string>().StartsWith("hub signing", StringComparison.Ordinal)), Is.True, "the hub's own certificate is listed");
        var audit = await http.GetStringAsync(new Uri("/api/audit", UriKind.Relative));
        Assert.That(audit, Does.Contain("certificate-upload").And.Contain(CertificateFingerprint(next.Certificate)));

        var cli = await hub.CliAsync("certificates");
        Assert.That(cli.ExitCode, Is.EqualTo(1), "an expired certificate is listed: " + cli.Error);
        Assert.That(cli.Output, Does.Contain("expired").And.Contain("CN=CN signer 2027").And.Contain(CertificateFingerprint(next.Certificate)));
        Assert.That(cli.Output.IndexOf("CN=CN signer 2025", StringComparison.Ordinal), Is.LessThan(cli.Output.IndexOf("CN=CN signer 2027", StringComparison.Ordinal)));

        // Removing the new one: a document it signs is no longer trusted.
        var id = stored[2]!["id"]!.GetValue<long>();
        using (var removed = await http.DeleteAsync(new Uri($"/api/certificates/{id}", UriKind.Relative)))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        Assert.That(await http.GetStringAsync(new Uri("/api/audit", UriKind.Relative)), Does.Contain("certificate-remove"));
        using (var gone = await http.DeleteAsync(new Uri($"/api/certificates/{id}", UriKind.Relative)))
        {
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    private static string CertificateFingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    [Test]
    public async Task The_hubs_signing_certificate_replaced_by_an_upload_signs_the_next_message_without_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("hubcert-").FullName;
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["Routes"] = new JsonArray { new JsonObject { ["Name"] = "XML to Thailand, signed", ["Country"] = "TH", ["To"] = new JsonArray("TH"), ["Sign"] = "document" } } },
        });
        await hub.StartAsync();
        using var http = await hub.ClientAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "first.xml"), TestDocuments.CertificateOfOrigin("CO-HUB-1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(30)), Is.True, hub.Log);

        using var key = RSA.Create(2048);
        using var replacement = new CertificateRequest("CN=CrossBorderHub production signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = replacement.Export(X509ContentType.Pkcs12, "hub-secret");
        using (var wrong = await http.PostAsync(new Uri("/api/certificates/hub", UriKind.Relative), Upload(pfx, "hub.pfx", "", "", "not-it")))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("password"));
        }
        using (var replaced = await http.PostAsync(new Uri("/api/certificates/hub", UriKind.Relative), Upload(pfx, "hub.pfx", "", "", "hub-secret")))
        {
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replaced.Content.ReadAsStringAsync());
        }
        var stored = Directory.GetFiles(Path.Combine(hub.Data, "identity"));
        Assert.That(stored, Has.Length.EqualTo(1));
        Assert.That(File.ReadAllBytes(stored[0]).AsSpan().IndexOf(replacement.RawData.AsSpan(0, 64)), Is.EqualTo(-1), "the stored PFX is encrypted");

        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "second.xml"), TestDocuments.CertificateOfOrigin("CO-HUB-2"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 2), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        var delivered = hub.DeliveredFiles("TH").Select(File.ReadAllText).ToList();
        var embedded = Convert.ToBase64String(replacement.RawData);
        Assert.That(delivered.Count(d => d.Contains(embedded, StringComparison.Ordinal)), Is.EqualTo(1), "only the message after the upload is signed by the new certificate");
        Assert.That(delivered.Single(d => d.Contains("CO-HUB-2", StringComparison.Ordinal)), Does.Contain(embedded));
        var listed = await http.GetStringAsync(new Uri("/api/certificates", UriKind.Relative));
        Assert.That(listed, Does.Contain("CN=CrossBorderHub production signer").And.Contain("hub signing (uploaded, in force)"));
        Assert.That(await http.GetStringAsync(new Uri("/api/audit", UriKind.Relative)), Does.Contain("hub-certificate-replace").And.Not.Contain("hub-secret"));
    }
}
