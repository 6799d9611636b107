using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Xml;

/// <summary>The repository's schemas and samples, an inspector over them, and requests for bytes or files.</summary>
internal static class XmlTestHub
{
    public static string RepositoryRoot => XmlSamples.RepositoryRoot;

    public static string SamplesFolder => XmlSamples.Folder;

    public static HubOptions Options(string? schemasPath = null) => new()
    {
        Processing = new ProcessingOptions { SchemasPath = schemasPath ?? Path.Combine(RepositoryRoot, "schemas") },
    };

    public static XmlInspector Inspector(TimeProvider? time = null, HubOptions? options = null) =>
        new(options ?? Options(), time ?? TimeProvider.System, NullLogger<XmlInspector>.Instance);

    public static InspectionRequest Request(byte[] content, string partner = "", PartnerOptions? partnerOptions = null, HubOptions? options = null) => new(
        new MessageRecord
        {
            Id = "test",
            ReceivedAt = DateTimeOffset.UtcNow,
            SourcePartner = partner,
            SourceChannel = "test",
            RemoteName = "test.xml",
            BlobHash = "",
            Length = content.Length,
            Status = MessageStatus.Received,
        },
        () => new MemoryStream(content, writable: false),
        partner,
        partnerOptions,
        options ?? Options());

    public static InspectionRequest RequestForFile(string path, string partner = "", PartnerOptions? partnerOptions = null) =>
        Request(File.ReadAllBytes(path), partner, partnerOptions);
}
