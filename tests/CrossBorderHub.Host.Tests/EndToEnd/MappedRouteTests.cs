using static CrossBorderHub.Host.Tests.EndToEnd.MappedRouteHub;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Routes with a Mapping in the running hub: map -> sign -> deliver, checked by independent tools (xmlsec1 verifies the
/// delivered signature, xmllint validates the mapped payload against the pack's XSD); documents the mapping cannot map
/// and output that is not valid end Rejected with nothing delivered.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MappedRouteTests
{
    // A receiving NPPO that requires the additional declaration: the certificate as is, or refused.
    private const string RequireDeclaration = Identity + """
        <xsl:template match="/">
          <xsl:if test="not(rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:IncludedSPSNote[ram:SubjectCode='ADDITIONAL_DECLARATION'])">
            <xsl:message terminate="yes">/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:IncludedSPSNote[ram:SubjectCode='ADDITIONAL_DECLARATION']: the additional declaration is missing.</xsl:message>
          </xsl:if>
          <xsl:apply-templates/>
        </xsl:template>
        """;

    // A defect in a mapping: the exchanged document (mandatory in the SPS schema) is left out.
    private const string DropsExchangedDocument = Identity + """<xsl:template match="rsm:SPSExchangedDocument"/>""";

    [Test]
    public async Task A_route_with_an_xslt_mapping_delivers_the_mapped_xml_signed_so_that_xmlsec1_verifies_it_and_xmllint_validates_it()
    {
        var xmlsec1 = RequiredTool.Find("xmlsec1", "xmlsec1");
        var xmllint = RequiredTool.Find("xmllint", "libxml2-utils");
        await using var hub = Create(new JsonArray(
            Route("envelopes to Thailand", "CN", "sps-to-ephyto-envelope", "TH"),
            Route("declared certificates to China", "TH", "sps-additional-declaration", "CN", "envelope")), out var mappings);
        AddXslt(mappings, "sps-additional-declaration", "\"ephyto-sps\"", RequireDeclaration);
        await hub.StartAsync();

        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "enveloped.xml"), Certificate("CN-PC-2026-000001"));
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("TH"), "declared.xml"), Certificate("TH-PC-2026-000002"));
        var (_, envelopedEvents) = await MessageAsync(hub, "enveloped.xml", "Delivered");
        var (declared, declaredEvents) = await MessageAsync(hub, "declared.xml", "Delivered");

        // The envelope (no schema pack) reaches TH signed; xmlsec1 verifies the hub's signature.
        var delivered = hub.DeliveredFiles("TH").Single();
        var text = await File.ReadAllTextAsync(delivered);
        Assert.That(text, Does.Contain("urn:crossborderhub:ephyto:envelope:1").And.Contain("<env:NPPOCertificateNumber>CN-PC-2026-000001<").And.Contain("Signature"));
        var certificate = Path.Combine(hub.Data, "dev-certificate.pem");
        var verified = await ProcessRunner.RunAsync(xmlsec1, ["--verify", "--trusted-pem", certificate, delivered], TimeSpan.FromSeconds(30));
        Assert.That(verified.ExitCode, Is.EqualTo(0), verified.Error);
        var hash = Core.Mapping.MappingHash.Of(Path.Combine(mappings, "sps-to-ephyto-envelope"));
        Assert.That(Details(envelopedEvents, "mapped").Single(),
            Does.StartWith($"mapping sps-to-ephyto-envelope version 1.0 (content sha256 {hash}, xslt, xml:ephyto-sps -> xml) for TH: output "));
        Assert.That(Details(envelopedEvents, "transformed").ToList(), Has.Count.EqualTo(2), "map then sign");

        // The SPS -> SPS mapping's payload, downloaded from the admin API, validates with xmllint against the pack's XSD.
        var mapped = await GetAsync(hub, $"/api/messages/{declared["id"]!.GetValue<string>()}/mapped");
        Assert.That(mapped.IsSuccessStatusCode, Is.True);
        var mappedFile = Path.Combine(hub.Folder, "mapped.xml");
        await File.WriteAllBytesAsync(mappedFile, await mapped.Content.ReadAsByteArrayAsync());
        var xsd = Path.Combine(HubProcess.RepositoryRoot, "schemas", "xsd", "ephyto-sps", "profile", "SPSCertificate_17p0_profile.xsd");
        var valid = await ProcessRunner.RunAsync(xmllint, ["--noout", "--schema", xsd, mappedFile], TimeSpan.FromSeconds(30));
        Assert.That(valid.ExitCode, Is.EqualTo(0), valid.Error);
        Assert.That(Details(declaredEvents, "mapped").Single(), Does.Contain("xml:ephyto-sps -> xml:ephyto-sps"));
        var original = await GetAsync(hub, $"/api/messages/{declared["id"]!.GetValue<string>()}/content");
        Assert.That(await original.Content.ReadAsStringAsync(), Is.EqualTo(Certificate("TH-PC-2026-000002")), "the original stays stored as received");
        var toChina = await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single());
        Assert.That(toChina, Does.Contain("TH-PC-2026-000002").And.Contain("Signature"));
    }

    [Test]
    public async Task A_document_the_mapping_cannot_map_and_output_that_is_not_valid_both_end_Rejected_with_nothing_delivered()
    {
        await using var hub = Create(new JsonArray(
            Route("declared certificates to China", "TH", "sps-additional-declaration", "CN", "envelope"),
            Route("broken mapping to Thailand", "CN", "sps-drops-document", "TH", "envelope")), out var mappings);
        AddXslt(mappings, "sps-additional-declaration", "\"ephyto-sps\"", RequireDeclaration);
        AddXslt(mappings, "sps-drops-document", "\"ephyto-sps\"", DropsExchangedDocument);
        await hub.StartAsync();

        var undeclared = System.Text.RegularExpressions.Regex.Replace(Certificate("TH-PC-2026-000003"), @"<ram:IncludedSPSNote>.*?</ram:IncludedSPSNote>\s*", "",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("TH"), "undeclared.xml"), undeclared);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "any.xml"), Certificate("CN-PC-2026-000004"));

        var (unmappable, unmappableEvents) = await MessageAsync(hub, "undeclared.xml", "Rejected");
        Assert.That(unmappable["reason"]!.GetValue<string>(), Does.StartWith("mapping sps-additional-declaration version 1.0 (sha256 ")
            .And.Contain("cannot map this document").And.Contain("ram:IncludedSPSNote[ram:SubjectCode='ADDITIONAL_DECLARATION']: the additional declaration is missing")
            .And.Contain("hub replay"));
        Assert.That(Details(unmappableEvents, "mapped"), Is.Empty);
        var original = await GetAsync(hub, $"/api/messages/{unmappable["id"]!.GetValue<string>()}/content");
        Assert.That(await original.Content.ReadAsStringAsync(), Is.EqualTo(undeclared), "the original stays stored");

        var (invalid, invalidEvents) = await MessageAsync(hub, "any.xml", "Rejected");
        Assert.That(invalid["reason"]!.GetValue<string>(), Does.StartWith("mapping sps-drops-document version 1.0")
            .And.Contain("not valid xml ephyto-sps").And.Contain("XML-SCHEMA"));
        Assert.That(Details(invalidEvents, "error"), Has.Some.StartsWith("mapped output: ").And.Some.Contain("SPSExchangedDocument").Or.Some.Contain("SPSConsignment"));

        // Give the outbox a few rounds: nothing half-mapped or invalid goes out.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(hub.DeliveredFiles("CN"), Is.Empty);
        Assert.That(hub.DeliveredFiles("TH"), Is.Empty);
    }
}
