using static CrossBorderHub.Host.Tests.EndToEnd.MappedRouteHub;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// The acceptance flow of the mapping issue on the real hub process: a D.96B CUSDEC dropped by a forwarder, mapped to
/// the WCO declaration and signed in an SBDH envelope, checked with independent tools: xmllint validates the payload
/// against the wco-dec XSD, xmlsec1 verifies the signature with the hub's certificate. Signing the mapped declaration
/// itself ("Sign": "document") is refused at start-up: the WCO XSD has no place for a ds:Signature.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MappedCusdecSigningTests
{
    private const string Wco = "urn:wco:datamodel:WCO:DEC-DMS:2";

    private static JsonObject CusdecRoute(string sign) => new()
    {
        ["Name"] = "declarations to Thai customs",
        ["SourcePartner"] = "CN",
        ["DocumentType"] = "CUSDEC",
        ["Mapping"] = "cusdec-d96b-to-wco-dec",
        ["Sign"] = sign,
        ["To"] = new JsonArray("TH"),
    };

    [Test]
    public async Task A_CUSDEC_mapped_to_WCO_XML_is_delivered_signed_in_an_SBDH_envelope_whose_payload_xmllint_validates_and_xmlsec1_verifies()
    {
        var xmlsec1 = RequiredTool.Find("xmlsec1", "xmlsec1");
        var xmllint = RequiredTool.Find("xmllint", "libxml2-utils");
        await using var hub = Create(new JsonArray(CusdecRoute("envelope")), out _);
        await hub.StartAsync();

        var input = Path.Combine(HubProcess.RepositoryRoot, "mappings", "cusdec-d96b-to-wco-dec", "tests", "01-export-two-items.input.edi");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec.edi"), await File.ReadAllBytesAsync(input));
        var (message, events) = await MessageAsync(hub, "dec.edi", "Delivered");

        var delivered = hub.DeliveredFiles("TH").Single();
        Assert.That(Path.GetFileName(delivered), Does.EndWith("-dec.xml"));
        var text = await File.ReadAllTextAsync(delivered);
        Assert.That(text, Does.Contain("StandardBusinessDocument").And.Contain($"<sh:Standard>{Wco}</sh:Standard>").And.Contain("A0011261123001"));

        var certificate = Path.Combine(hub.Data, "dev-certificate.pem");
        var verified = await ProcessRunner.RunAsync(xmlsec1, ["--verify", "--trusted-pem", certificate, delivered], TimeSpan.FromSeconds(30));
        Assert.That(verified.ExitCode, Is.EqualTo(0), verified.Error + verified.Output);

        // The payload as the receiver takes it out of the envelope, then validated against the pack's XSD.
        var payload = Path.Combine(hub.Folder, "payload.xml");
        var extracted = await ProcessRunner.RunAsync(xmllint, ["--xpath", $"/*[local-name()='StandardBusinessDocument']/*[local-name()='Declaration' and namespace-uri()='{Wco}']", delivered], TimeSpan.FromSeconds(30));
        Assert.That(extracted.ExitCode, Is.EqualTo(0), extracted.Error);
        await File.WriteAllTextAsync(payload, extracted.Output);
        var xsd = Path.Combine(HubProcess.RepositoryRoot, "schemas", "xsd", "wco-dec", "declaration", "WCO_DEC_2_DMS.xsd");
        var valid = await ProcessRunner.RunAsync(xmllint, ["--noout", "--schema", xsd, payload], TimeSpan.FromSeconds(30));
        Assert.That(valid.ExitCode, Is.EqualTo(0), valid.Error);

        // The delivered payload is the mapped blob, unchanged by signing.
        var mapped = Path.Combine(hub.Folder, "mapped.xml");
        var id = message["id"]!.GetValue<string>();
        await File.WriteAllBytesAsync(mapped, await (await GetAsync(hub, $"/api/messages/{id}/mapped")).Content.ReadAsByteArrayAsync());
        var direct = await ProcessRunner.RunAsync(xmllint, ["--noout", "--schema", xsd, mapped], TimeSpan.FromSeconds(30));
        Assert.That(direct.ExitCode, Is.EqualTo(0), direct.Error);
        Assert.That(Details(events, "mapped").Single(), Does.Contain("edifact:D96B/CUSDEC -> xml:wco-dec"));
        Assert.That(Details(events, "transformed").ToList(), Has.Some.StartsWith("sign:envelope for TH"));
    }

    [Test]
    public async Task Signing_the_mapped_WCO_declaration_itself_is_refused_at_start_up_with_the_envelope_as_the_fix()
    {
        await using var hub = Create(new JsonArray(CusdecRoute("document")), out _);
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Hub:Routes:0 (declarations to Thai customs):Sign 'document' would put a ds:Signature inside the mapped wco-dec document")
            .And.Contain("\"Sign\": \"envelope\""));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }
}
