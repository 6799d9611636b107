using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Xml;
using CrossBorderHub.Host.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Fuzz.Targets;

/// <summary>
/// The XML intake: the safe reader (no DTD, limits) and the schema grading with the shipped packs, through the
/// same inspector the hub runs on every inbound XML document.
/// </summary>
public sealed class XmlIntakeTarget : IFuzzTarget
{
    private static readonly HubOptions Hub = new() { Processing = { SchemasPath = FuzzRepo.Schemas } };

    private static readonly XmlInspector Inspector = new(Hub, TimeProvider.System, NullLogger<XmlInspector>.Instance);

    public string Name => "xml";

    // The inspector answers bad XML with findings; SafeXml.Load (used for envelopes and `hub sign`) with UnsafeXmlException.
    public string ExpectedExceptions => "UnsafeXmlException from SafeXml.Load; none from the inspector (findings)";

    public void Run(byte[] input)
    {
        var request = new InspectionRequest(CliHub.Record("fuzz.xml", input.Length), () => new MemoryStream(input, writable: false), "fuzz", null, Hub);
        if (Inspector.Recognizes(input.AsSpan(0, Math.Min(input.Length, 512))))
        {
            Inspector.InspectAsync(request, CancellationToken.None).GetAwaiter().GetResult();
        }
        using var stream = new MemoryStream(input, writable: false);
        SafeXml.Load(stream);
    }

    public bool IsExpected(Exception exception) => exception is UnsafeXmlException;

    public IEnumerable<(string Name, byte[] Bytes)> Seeds() => FuzzRepo.SampleFiles(Path.Combine("messages", "xml"), "*.xml");
}
