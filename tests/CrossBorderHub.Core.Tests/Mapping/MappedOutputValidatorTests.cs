using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Mapping;

/// <summary>What a mapping produced is checked against its target with the real inspectors and schema packs.</summary>
public sealed class MappedOutputValidatorTests
{
    private static readonly HubOptions Hub = new() { Processing = new ProcessingOptions { SchemasPath = Path.Combine(XmlSamples.RepositoryRoot, "schemas") } };

    private static readonly MappedOutputValidator Validator = new(Hub, TimeProvider.System,
        [new EdifactInspector(Hub, TimeProvider.System), new XmlInspector(Hub, TimeProvider.System, NullLogger<XmlInspector>.Instance)]);

    private static readonly MessageRecord Message = new()
    {
        Id = "m1", ReceivedAt = DateTimeOffset.UnixEpoch, SourcePartner = "CN", SourceChannel = "folder", RemoteName = "in.xml", BlobHash = "", Length = 0, Status = MessageStatus.Received,
    };

    private static string Sample(string path) => File.ReadAllText(Path.Combine(XmlSamples.RepositoryRoot, "samples", "messages", path));

    private static async Task<IReadOnlyList<Finding>> ErrorsAsync(string output, MappingEnd target) =>
        (await Validator.ValidateAsync(target, Message, () => new MemoryStream(Encoding.UTF8.GetBytes(output)), CancellationToken.None))
        .Where(f => f.Severity == FindingSeverity.Error).ToList();

    [Test]
    public async Task An_edifact_output_valid_at_the_codes_level_in_the_target_directory_passes()
    {
        Assert.That(await ErrorsAsync(Sample("edifact/cusdec-d96b-syntax1-unoa.edi"), new("edifact", "D96B/CUSDEC")), Is.Empty);
    }

    [Test]
    public async Task An_edifact_output_with_a_code_not_in_its_code_list_fails_with_the_directory_finding()
    {
        var errors = await ErrorsAsync(Sample("edifact/cusdec-d96b-syntax1-unoa.edi").Replace("NAD+IM+", "NAD+Q9+", StringComparison.Ordinal), new("edifact", "D96B/CUSDEC"));
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("'Q9' is not a code of list 3035"));
    }

    [Test]
    public async Task Text_that_is_not_an_interchange_fails_an_edifact_target()
    {
        var errors = await ErrorsAsync("BGM+929+DEC0002+9'", new("edifact", "D96B/CUSDEC"));
        Assert.That(errors.Single().Code, Is.EqualTo("MAP-NOT-EDIFACT"));
    }

    [Test]
    public async Task An_xml_output_of_another_schema_pack_fails_with_the_pack_it_is()
    {
        Assert.That(await ErrorsAsync(Sample("xml/ephyto-valid.xml"), new("xml", "ephyto-sps")), Is.Empty);
        var errors = await ErrorsAsync(Sample("xml/form-d-valid.xml"), new("xml", "ephyto-sps"));
        Assert.That(errors.Single().Message, Does.Contain("of schema pack 'atiga-form-d', not a document of the target pack 'ephyto-sps'"));
    }

    [Test]
    public async Task An_xml_output_without_a_target_pack_must_be_well_formed()
    {
        Assert.That(await ErrorsAsync("<env:Envelope xmlns:env='urn:x'/>", new("xml", null)), Is.Empty);
        Assert.That(await ErrorsAsync("<env:Envelope xmlns:env='urn:x'>", new("xml", null)), Has.Count.EqualTo(1));
    }
}
