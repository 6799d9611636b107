using System.Text.Json;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Host.Cli;

/// <summary>What the EDIFACT verbs need of the hub without starting it: options and the document inspectors.</summary>
internal static class CliHub
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static HubOptions LoadOptions(string? configFile, IReadOnlyList<string> switches)
    {
        if (configFile is null && switches.Count == 0)
        {
            return new HubOptions(); // nothing to bind: the defaults, without the binder's start-up cost
        }
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.AddCommandLine([.. switches]);
        var hub = new HubOptions();
        builder.Build().GetSection(HubOptions.SectionName).Bind(hub);
        return hub;
    }

    /// <summary>
    /// Every inspector of the Core assembly, EDIFACT first. Listed rather than found by reflection, which loaded every
    /// type of the Core assembly at each `hub validate` (a test checks none is missing).
    /// </summary>
    public static IReadOnlyList<IDocumentInspector> Inspectors(HubOptions hub) =>
    [
        new EdifactInspector(hub, TimeProvider.System),
        new XmlInspector(hub, TimeProvider.System, NullLogger<XmlInspector>.Instance),
    ];

    /// <summary>A file's first 4 KiB (what every inspector's Recognizes looks at) and its length, or why it cannot be read.</summary>
    public static async Task<(byte[] Head, long Length, string? Error)> ReadHeadAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(file);
            var head = new byte[(int)Math.Min(4096, stream.Length)];
            await stream.ReadExactlyAsync(head, cancellationToken);
            return (head, stream.Length, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ([], 0, e.Message);
        }
    }

    public static MessageRecord Record(string file, long length) => new()
    {
        Id = "cli-" + Path.GetFileName(file),
        ReceivedAt = TimeProvider.System.GetUtcNow(),
        SourcePartner = "cli",
        SourceChannel = "cli",
        RemoteName = Path.GetFileName(file),
        BlobHash = "",
        Length = length,
        Status = MessageStatus.Received,
    };

    /// <summary>Writes bytes to the output: to the process's stdout stream as is, or Latin-1 text to a test writer.</summary>
    public static void WriteBytes(CliContext context, byte[] bytes)
    {
        if (ReferenceEquals(context.Out, Console.Out))
        {
            context.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
            return;
        }
        context.Out.Write(System.Text.Encoding.Latin1.GetString(bytes));
    }
}
