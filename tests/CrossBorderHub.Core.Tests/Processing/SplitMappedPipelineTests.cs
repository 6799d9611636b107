using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// A route with SplitMessages and a Mapping: each CUSDEC of the interchange is mapped on its own to a WCO declaration
/// (the shipped cusdec-d96b-to-wco-dec, no batch) and queued as its own .xml part; a message the mapping cannot map
/// rejects the whole interchange with no part queued (every part is mapped before the first is queued).
/// </summary>
public sealed class SplitMappedPipelineTests
{
    private static readonly string Fixture = File.ReadAllText(Path.Combine(XmlSamples.RepositoryRoot, "mappings", "cusdec-d96b-to-wco-dec", "tests", "01-export-two-items.input.edi"));

    /// <summary>The fixture with a second declaration after the first (its own reference, or <paramref name="second"/> edited).</summary>
    private static byte[] TwoDeclarations(Func<string, string> second)
    {
        var unh = Fixture.IndexOf("UNH+1+", StringComparison.Ordinal);
        var unz = Fixture.IndexOf("UNZ+", StringComparison.Ordinal);
        var message = Fixture[unh..unz].Replace("UNH+1+", "UNH+2+", StringComparison.Ordinal).Replace("UNT+27+1'", "UNT+27+2'", StringComparison.Ordinal)
            .Replace("A0011261123001", "A0011261123002", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(Fixture[..unz] + second(message) + "UNZ+2+EX2611230001'\n");
    }

    private static async Task<(ProcessingBench Bench, MessageRecord Message)> RunAsync(byte[] interchange)
    {
        var bench = await ProcessingBench.CreateAsync(o =>
        {
            o.Processing.MappingsPath = Path.Combine(XmlSamples.RepositoryRoot, "mappings");
            o.Routes.Insert(0, new RouteOptions { Name = "declarations as WCO", DocumentType = "CUSDEC", To = ["TH"], Mapping = "cusdec-d96b-to-wco-dec", SplitMessages = true });
        });
        var registry = new MappingRegistry(bench.Options, NullLogger<MappingRegistry>.Instance,
            MappingCatalog.Compilers(Path.Combine(XmlSamples.RepositoryRoot, "schemas", "edifact")));
        var errors = new List<string>();
        new MappingCheck(registry).Check(bench.Options, errors);
        Assert.That(errors, Is.Empty, "SplitMessages with a Mapping starts");
        IDocumentInspector[] inspectors = [new EdifactInspector(bench.Options, bench.Time), new XmlInspector(bench.Options, bench.Time, NullLogger<XmlInspector>.Instance)];
        var processor = new MessageProcessor(bench.Store, bench.Outbox, bench.Blobs, bench.Replies, bench.Aperaks, inspectors,
            [new MappingTransformer(registry, bench.Store, bench.Options, bench.Time, inspectors, NullLogger<MappingTransformer>.Instance)],
            bench.Options, bench.Time, NullLogger<MessageProcessor>.Instance, bench.Documents);
        var received = await bench.ReceiveAsync(interchange, "CN", "decs.edi");
        await processor.ProcessAsync(received, CancellationToken.None);
        return (bench, await bench.GetAsync(received.Id));
    }

    [Test]
    public async Task Each_split_message_is_mapped_to_its_own_WCO_declaration_and_queued_as_xml()
    {
        var (bench, original) = await RunAsync(TwoDeclarations(m => m));
        await using var _ = bench;

        Assert.That(original.Status, Is.EqualTo(MessageStatus.Routed), original.Reason);
        var parts = (await bench.RepliesToAsync(original.Id)).OrderBy(p => p.SourceChannel, StringComparer.Ordinal).ToList();
        Assert.That(parts.Select(p => p.SourceChannel), Is.EqualTo(new[] { "split:TH:1", "split:TH:2" }));
        var references = new List<string>();
        foreach (var part in parts)
        {
            var delivery = (await bench.Queries.GetDeliveriesAsync(part.Id, CancellationToken.None)).Single();
            Assert.That(delivery.FileName, Does.EndWith("-decs.xml"));
            await using var blob = bench.Blobs.OpenRead(delivery.BlobHash);
            var xml = System.Xml.Linq.XDocument.Load(blob);
            Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("Declaration"), "one declaration per part, no batch wrapper");
            references.Add(xml.Root.Elements().Single(e => e.Name.LocalName == "FunctionalReferenceID").Value);
        }
        Assert.That(references, Is.EqualTo(new[] { "A0011261123001", "A0011261123002" }));
        var events = await bench.Queries.GetEventsAsync(original.Id, CancellationToken.None);
        Assert.That(events.Count(e => e.Kind == MappedEvent.Kind), Is.EqualTo(2), "one mapped event per part");
    }

    [Test]
    public async Task A_split_message_the_mapping_cannot_map_rejects_the_interchange_with_no_part_queued()
    {
        // The second declaration loses its reference (BGM 1004, required by the mapping).
        var (bench, original) = await RunAsync(TwoDeclarations(m => m.Replace("BGM+830+A0011261123002+9'", "BGM+830++9'", StringComparison.Ordinal)));
        await using var _ = bench;

        Assert.That(original.Status, Is.EqualTo(MessageStatus.Rejected));
        Assert.That(original.Reason, Does.StartWith("mapping cusdec-d96b-to-wco-dec version 1.0").And.Contain("cannot map this document").And.Contain("BGM/C106/1004"));
        Assert.That(await bench.RepliesToAsync(original.Id), Is.Empty, "the first part, mapped fine, is not delivered alone");
    }
}
