using CrossBorderHub.Core.Routing;

namespace CrossBorderHub.Core.Tests.Routing;

public sealed class RouterTests
{
    private static readonly HubOptions Options = new()
    {
        Routes =
        [
            new RouteOptions { Name = "test traffic to sandbox", Test = true, To = ["SANDBOX"] },
            new RouteOptions { Name = "CUSDEC to TH", Recipient = "THSW", DocumentType = "CUSDEC", To = ["TH"] },
            new RouteOptions { Name = "anything to TH", Recipient = "THSW", To = ["TH", "AUDIT"], Sign = "envelope", Mapping = "cusdec-to-wco" },
            new RouteOptions { Name = "certificates of origin by country", DocumentType = "CertificateOfOrigin", Country = "VN", To = ["VN"] },
            new RouteOptions { Name = "only from CN", SourcePartner = "CN", Recipient = "*", DocumentType = "SANCRT", To = ["MY"] },
        ],
    };

    private static readonly Router Router = new(Options);

    private static DocumentIdentity Edifact(string type, string recipient, bool test = false) =>
        new() { Format = DocumentFormat.Edifact, DocumentType = type, Sender = "CNSW", Recipient = recipient, IsTest = test };

    [Test]
    public void The_first_matching_route_wins()
    {
        Assert.That(Router.Match(Edifact("CUSDEC", "THSW"), "CN")?.Name, Is.EqualTo("CUSDEC to TH"));
        Assert.That(Router.Match(Edifact("CUSCAR", "THSW"), "CN")?.Name, Is.EqualTo("anything to TH"));
    }

    [Test]
    public void The_test_flag_can_divert_test_interchanges()
    {
        Assert.That(Router.Match(Edifact("CUSDEC", "THSW", test: true), "CN")?.Route.To, Is.EqualTo(new[] { "SANDBOX" }));
    }

    [Test]
    public void Recipient_matching_ignores_case_and_one_of_several_message_types_is_enough()
    {
        Assert.That(Router.Match(Edifact("CUSCAR+CUSDEC", "thsw"), "CN")?.Name, Is.EqualTo("CUSDEC to TH"));
    }

    [Test]
    public void Xml_documents_route_by_type_and_destination_country()
    {
        var identity = new DocumentIdentity { Format = DocumentFormat.Xml, DocumentType = "CertificateOfOrigin", DestinationCountry = "VN" };
        Assert.That(Router.Match(identity, "TH")?.Name, Is.EqualTo("certificates of origin by country"));
        Assert.That(Router.Match(identity with { DestinationCountry = "LA" }, "TH"), Is.Null);
    }

    [Test]
    public void The_source_partner_criterion_applies()
    {
        Assert.That(Router.Match(Edifact("SANCRT", "MYSW"), "CN")?.Name, Is.EqualTo("only from CN"));
        Assert.That(Router.Match(Edifact("SANCRT", "MYSW"), "TH"), Is.Null);
    }

    [Test]
    public void No_match_is_described_with_what_was_looked_at()
    {
        var identity = Edifact("IFTMIN", "XXSW");
        Assert.That(Router.Match(identity, "CN"), Is.Null);
        Assert.That(Router.Describe(identity, "CN"), Does.Contain("'XXSW'").And.Contain("IFTMIN").And.Contain("Hub:Routes"));
    }

    [Test]
    public void Steps_are_mapping_then_signature()
    {
        Assert.That(Router.Match(Edifact("CUSCAR", "THSW"), "CN")!.Steps, Is.EqualTo(new[] { "map:cusdec-to-wco", "sign:envelope" }));
        Assert.That(Router.Match(Edifact("CUSDEC", "THSW"), "CN")!.Steps, Is.Empty);
    }
}
