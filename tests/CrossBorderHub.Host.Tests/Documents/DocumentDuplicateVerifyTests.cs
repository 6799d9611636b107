using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>
/// Issue 16 acceptance on a running hub: the same certificate again (other file name, other bytes) and the same
/// CUSDEC again (other interchange reference) are business duplicates, delivered once; a replacement is delivered and
/// its original shows Replaced; verify answers for a signed Form D with the signer's pinned certificate, and unknown.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DocumentDuplicateVerifyTests
{
    private static byte[] Cusdec(string interchange, string number) => Encoding.ASCII.GetBytes(
        $"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+{interchange}'UNH+1+CUSDEC:D:96B:UN'BGM+830+{number}+9'DTM+137:20261123:102'" +
        $"NAD+DT+++Shenzhen Export Co?+ Ltd+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'UNT+7+1'UNZ+1+{interchange}'\r\n");

    [Test]
    public async Task The_same_certificate_again_is_a_duplicate_delivered_once_a_replacement_supersedes_it_and_verify_names_the_signer()
    {
        var folder = Directory.CreateTempSubdirectory("docdup-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=GACC Nanning e-CO signer", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(folder, "cn.crt");
        var keyPath = Path.Combine(folder, "cn.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Partners"] = new JsonObject { ["CN"] = new JsonObject { ["Signature"] = new JsonObject { ["TrustedCertificates"] = new JsonArray(certPath) } } },
            },
        });
        await hub.StartAsync();
        var unsigned = Path.Combine(folder, "co.xml");
        await File.WriteAllBytesAsync(unsigned, TestDocuments.CertificateOfOrigin("CO-2026-0100"));
        var signedPath = Path.Combine(folder, "co.signed.xml");
        var sign = await hub.CliAsync("sign", "--cert", certPath, "--key", keyPath, unsigned, "-o", signedPath);
        Assert.That(sign.ExitCode, Is.EqualTo(0), sign.Error);
        var signed = await File.ReadAllBytesAsync(signedPath);

        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co-first.xml"), signed);
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec-a.edi"), Cusdec("ICREF-A", "DEC-DUP-1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 2), TimeSpan.FromSeconds(30)), Is.True, hub.Log);

        // Again: other file names, other bytes (a comment after the signed element; another interchange reference).
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co-resent.xml"), [.. signed, .. "\n<!-- resent by the exporter -->\n"u8]);
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec-b.edi"), Cusdec("ICREF-B", "DEC-DUP-1"));
        using var http = await hub.ClientAsync();
        async Task<JsonNode> GetAsync(string url) => JsonNode.Parse(await http.GetStringAsync(new Uri(url, UriKind.Relative)))!;
        async Task<string[]> StatesAsync(string number) => (await GetAsync($"/api/documents?number={number}")).AsArray().Select(d => d!["state"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.That(await HubProcess.EventuallyAsync(async () => (await StatesAsync("DEC-DUP-1")).Contains("Duplicate") && (await StatesAsync("CO-2026-0100")).Contains("Duplicate"), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        await Task.Delay(1500);
        Assert.That(hub.DeliveredFiles("TH"), Has.Length.EqualTo(2), "each document delivered once");
        Assert.That(await StatesAsync("CO-2026-0100"), Is.EqualTo(new[] { "Delivered", "Duplicate" }));
        var messages = await hub.MessagesAsync();
        var duplicate = messages.Single(m => m!["message"]!["remoteName"]!.GetValue<string>() == "co-resent.xml")!;
        Assert.That(duplicate["message"]!["status"]!.GetValue<string>(), Is.EqualTo("Duplicate"));
        Assert.That(duplicate["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()), Does.Contain("document-duplicate"));

        // A replacement with a new number naming the original: delivered, and the original shows Replaced.
        var replacement = Encoding.UTF8.GetString(TestDocuments.CertificateOfOrigin("CO-2026-0101")).Replace("</ImportingCountry>",
            "</ImportingCountry><Function>Replacement</Function><ReplacesReferenceNumber>CO-2026-0100</ReplacesReferenceNumber>", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "co-replacement.xml"), replacement);
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 3), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        Assert.That(await HubProcess.EventuallyAsync(async () => (await StatesAsync("CO-2026-0100")).Contains("Replaced"), TimeSpan.FromSeconds(10)), Is.True, hub.Log);

        var known = await GetAsync("/api/documents/verify?type=CertificateOfOrigin&number=CO-2026-0100&country=cn");
        Assert.Multiple(() =>
        {
            Assert.That(known["known"]!.GetValue<bool>(), Is.True);
            Assert.That(known["receivedFromPartner"]!.GetValue<string>(), Is.EqualTo("CN"));
            Assert.That(known["receivedOnChannel"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(known["signature"]!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(known["signature"]!["subject"]!.GetValue<string>(), Is.EqualTo("CN=GACC Nanning e-CO signer"));
            Assert.That(known["signature"]!["fingerprint"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexString(SHA256.HashData(certificate.RawData))));
            Assert.That(known["status"]!.GetValue<string>(), Is.EqualTo("replaced"));
            Assert.That(known["statusText"]!.GetValue<string>(), Is.EqualTo("replaced by CO-2026-0101"));
            Assert.That(known["contentSha256"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(signed))).IgnoreCase);
            Assert.That(known["deliveredTo"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "TH" }));
            Assert.That(known["duplicates"]!.GetValue<int>(), Is.EqualTo(1));
        });
        var unknown = await GetAsync("/api/documents/verify?type=CertificateOfOrigin&number=CO-NEVER-SEEN&country=CN");
        Assert.That(unknown["known"]!.GetValue<bool>(), Is.False);

        // The least-privilege verifier token: this one endpoint, nothing else of the API.
        using var verifier = await hub.ClientAsync("verifier");
        using var verified = await verifier.GetAsync(new Uri("/api/documents/verify?type=CertificateOfOrigin&number=CO-2026-0100&country=CN", UriKind.Relative));
        Assert.That(verified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var listing = await verifier.GetAsync(new Uri("/api/messages", UriKind.Relative));
        Assert.That(listing.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var documents = await verifier.GetAsync(new Uri("/api/documents?number=CO-2026-0100", UriKind.Relative));
        Assert.That(documents.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var bad = await http.GetAsync(new Uri("/api/documents/verify?number=CO-2026-0100&country=China", UriKind.Relative));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.That(problem["parameters"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "type", "country" }));

        var cli = await hub.CliAsync("documents", "verify", "--type", "CertificateOfOrigin", "--number", "CO-2026-0101", "--country", "CN");
        Assert.That(cli.ExitCode, Is.EqualTo(0), cli.Error);
        Assert.That(cli.Output, Does.Contain("known: CertificateOfOrigin CO-2026-0101 (Replacement)").And.Contain("status: valid").And.Contain("delivered: "));
        var cliUnknown = await hub.CliAsync("documents", "verify", "--type", "CUSDEC", "--number", "DEC-NEVER", "--country", "CN", "--json");
        Assert.That(cliUnknown.ExitCode, Is.EqualTo(1));
        Assert.That(JsonNode.Parse(cliUnknown.Output)!["known"]!.GetValue<bool>(), Is.False);
        var usage = await hub.CliAsync("documents", "verify", "--number", "X");
        Assert.That(usage.ExitCode, Is.EqualTo(2));
        Assert.That(usage.Error, Does.Contain("type is required").And.Contain("country is required"));
        Assert.That((await hub.CliAsync("documents", "verify", "--type", "CUSDEC", "--number", "DEC-DUP-1", "--country", "CN")).Output, Does.Contain("duplicates: 1"));
    }
}
