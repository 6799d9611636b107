namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A certificate of origin dropped by CN reaches TH signed by the hub; TH's copy verifies with `hub verify` and with
/// xmlsec1 (an independent XML-DSig implementation), and a tampered copy fails both.
/// </summary>
[NonParallelizable]
public sealed class SignedDeliveryTests
{
    [Test]
    public async Task A_certificate_of_origin_reaches_TH_signed_and_verifies_with_hub_verify_and_xmlsec1()
    {
        var xmlsec1 = RequiredTool.Find("xmlsec1", "xmlsec1");
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "Certificates of origin to Thailand", ["DocumentType"] = "CertificateOfOrigin", ["Country"] = "TH", ["To"] = new JsonArray("TH"), ["Sign"] = "document" },
                },
            },
        });
        await hub.StartAsync();
        var original = await File.ReadAllBytesAsync(Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "xml", "form-d-valid.xml"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "form-d.xml"), original);
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(15)), Is.True, hub.Log);

        var delivered = hub.DeliveredFiles("TH").Single();
        Assert.That(await File.ReadAllTextAsync(delivered), Does.Contain("<ds:Signature").Or.Contain("<Signature"));
        var certificate = Path.Combine(hub.Data, "dev-certificate.pem");
        var hubVerify = await hub.CliAsync("verify", "--trust", certificate, delivered);
        Assert.That(hubVerify.ExitCode, Is.EqualTo(0), hubVerify.Output + hubVerify.Error);
        var independent = await ProcessRunner.RunAsync(xmlsec1, ["--verify", "--trusted-pem", certificate, delivered], TimeSpan.FromSeconds(30));
        Assert.That(independent.ExitCode, Is.EqualTo(0), independent.Error);

        var tampered = Path.Combine(hub.Folder, "tampered.xml");
        await File.WriteAllTextAsync(tampered, (await File.ReadAllTextAsync(delivered)).Replace("12600", "1260", StringComparison.Ordinal));
        Assert.That((await hub.CliAsync("verify", "--trust", certificate, tampered)).ExitCode, Is.EqualTo(1));
        Assert.That((await ProcessRunner.RunAsync(xmlsec1, ["--verify", "--trusted-pem", certificate, tampered], TimeSpan.FromSeconds(30))).ExitCode, Is.Not.EqualTo(0));

        var entry = (await hub.MessagesAsync()).Single()!;
        Assert.That(entry["events"]!.AsArray().Select(e => e!["detail"]!.GetValue<string>()), Has.Some.StartsWith("sign:document for TH"));
    }
}
