using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// The XML -> EDIFACT shape of a mapped route, over the real store, blobs and inspectors: the EDIFACT the mapping
/// writes is validated at the codes level before it is queued. The mapping is a test double (kind "fixed-edifact")
/// that writes a given interchange: it stands for the declarative engine, which plugs into the same contract.
/// </summary>
public sealed class MappedPipelineTests
{
    private static string Sample(string path) => File.ReadAllText(Path.Combine(XmlSamples.RepositoryRoot, "samples", "messages", path));

    private static readonly string Cusdec = Sample("edifact/cusdec-d96b-syntax1-unoa.edi");

    private sealed class FixedEdifactCompiler(string interchange) : IMappingCompiler
    {
        public string Kind => "fixed-edifact";

        public IMapping? Compile(MappingManifest manifest, ICollection<MappingLoadError> errors) =>
            new FixedEdifact(new(manifest.Name, manifest.Version, MappingHash.Of(manifest), Kind, manifest.Source, manifest.Target), interchange);
    }

    private sealed class FixedEdifact(MappingDescriptor descriptor, string interchange) : IMapping
    {
        public MappingDescriptor Descriptor => descriptor;

        public MappingOutcome Map(Stream source, Stream target, CancellationToken cancellationToken)
        {
            target.Write(System.Text.Encoding.ASCII.GetBytes(interchange));
            return MappingOutcome.Mapped;
        }
    }

    private static async Task<(ProcessingBench Bench, MessageRecord Message, MessageProcessor Processor)> RunAsync(string interchange)
    {
        var mappings = Directory.CreateTempSubdirectory("mappings-").FullName;
        Directory.CreateDirectory(Path.Combine(mappings, "sps-to-cusdec"));
        await File.WriteAllTextAsync(Path.Combine(mappings, "sps-to-cusdec", "mapping.json"),
            """{ "version": "2.0", "kind": "fixed-edifact", "source": {"format": "xml", "standard": "ephyto-sps"}, "target": {"format": "edifact", "standard": "D96B/CUSDEC"}, "file": "rules" }""");
        var bench = await ProcessingBench.CreateAsync(o =>
        {
            o.Processing.MappingsPath = mappings;
            o.Routes.Insert(0, new RouteOptions { Name = "certificates as CUSDEC", DocumentType = "PhytosanitaryCertificate", To = ["TH"], Mapping = "sps-to-cusdec" });
        });
        var registry = new MappingRegistry(bench.Options, NullLogger<MappingRegistry>.Instance, [new FixedEdifactCompiler(interchange)]);
        IDocumentInspector[] inspectors = [new EdifactInspector(bench.Options, bench.Time), new XmlInspector(bench.Options, bench.Time, NullLogger<XmlInspector>.Instance)];
        var processor = new MessageProcessor(bench.Store, bench.Outbox, bench.Blobs, bench.Replies, bench.Aperaks, inspectors,
            [new MappingTransformer(registry, bench.Store, bench.Options, bench.Time, inspectors, NullLogger<MappingTransformer>.Instance)],
            bench.Options, bench.Time, NullLogger<MessageProcessor>.Instance, bench.Documents);
        var message = await bench.ReceiveAsync(System.Text.Encoding.UTF8.GetBytes(Sample("xml/ephyto-valid.xml")), "CN", "certificate.xml");
        await processor.ProcessBatchAsync(10, CancellationToken.None);
        return (bench, message, processor);
    }

    [Test]
    public async Task An_xml_document_mapped_to_edifact_valid_at_the_codes_level_is_queued_as_that_edifact()
    {
        var (bench, message, _) = await RunAsync(Cusdec);
        await using var _ = bench;
        var delivery = (await bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None)).Single();
        await using var blob = bench.Blobs.OpenRead(delivery.BlobHash);
        Assert.That(await new StreamReader(blob).ReadToEndAsync(), Is.EqualTo(Cusdec));
        Assert.That(delivery.FileName, Is.EqualTo($"{message.Id}-certificate.edi"), "the mapped EDIFACT is not delivered under the XML's name");
        var events = await bench.Queries.GetEventsAsync(message.Id, CancellationToken.None);
        var mapped = events.Single(e => e.Kind == MappedEvent.Kind).Detail;
        Assert.That(mapped, Does.StartWith("mapping sps-to-cusdec version 2.0 (content sha256 ").And.Contain("xml:ephyto-sps -> edifact:D96B/CUSDEC) for TH"));
        Assert.That(MappedEvent.OutputHash(mapped), Is.EqualTo(delivery.BlobHash), "no sign step: the mapped blob is what is delivered");
    }

    [Test]
    public async Task Edifact_output_with_a_code_outside_its_list_ends_Rejected_and_nothing_is_queued()
    {
        var (bench, message, _) = await RunAsync(Cusdec.Replace("NAD+IM+", "NAD+Q9+", StringComparison.Ordinal));
        await using var _ = bench;
        var stored = await bench.GetAsync(message.Id);
        Assert.That(stored.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(stored.Reason, Does.StartWith("mapping sps-to-cusdec version 2.0").And.Contain("not valid edifact D96B/CUSDEC").And.Contain("'Q9' is not a code of list 3035"));
        Assert.That(await bench.Queries.GetDeliveriesAsync(message.Id, CancellationToken.None), Is.Empty);
    }
}
