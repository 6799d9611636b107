using System.Xml;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;
using CrossBorderHub.Edifact.Xml;

namespace CrossBorderHub.Fuzz.Targets;

/// <summary>
/// The EDIFACT reader and validator as `hub validate` and the intake run them, then the XML form's promise:
/// to-xml then to-edi gives back the input bytes exactly (src/CrossBorderHub.Edifact/Xml/EdifactXml.cs).
/// </summary>
public sealed class EdifactTarget : IFuzzTarget
{
    private static readonly DirectoryRegistry Directories = new(Path.Combine(FuzzRepo.Schemas, "edifact"));

    public string Name => "edifact";

    // The reader is tolerant and the validator returns findings: no exception is an answer to bad EDIFACT.
    public string ExpectedExceptions => "none (malformed input yields findings)";

    public void Run(byte[] input)
    {
        var interchange = EdifactParser.Parse(input);
        new EdifactValidator(Directories, ValidationLevel.Codes).Validate(input);

        // The XML text as `hub to-xml FILE -o X` saves it, read back as `hub to-edi X` reads it.
        using var xml = new MemoryStream();
        EdifactXml.ToXml(interchange).Save(xml);
        xml.Position = 0;
        byte[] back;
        try
        {
            back = EdifactXml.ToEdifact(xml);
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            throw new FuzzPropertyException($"to-edi cannot read what to-xml wrote: {e.GetType().Name}: {e.Message}");
        }
        if (!back.AsSpan().SequenceEqual(input))
        {
            var at = back.AsSpan().CommonPrefixLength(input);
            throw new FuzzPropertyException($"to-xml then to-edi changed the bytes at offset {at} (of {input.Length}; got {back.Length} bytes)");
        }
    }

    public bool IsExpected(Exception exception) => false;

    public IEnumerable<(string Name, byte[] Bytes)> Seeds() => FuzzRepo.SampleFiles(Path.Combine("messages", "edifact"), "*.edi");
}
