using System.Xml;
using CrossBorderHub.Edifact.Xml;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub to-edi FILE.xml [-o OUT]`: EDIFACT bytes from the XML form written by `hub to-xml`.</summary>
internal sealed class ToEdiVerb : ICliVerb
{
    public string Name => "to-edi";

    public string Usage => "to-edi FILE.xml [-o OUT]   XML form -> EDIFACT (byte-identical to the original when unchanged)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["-o"], []);
        if (options.Error is not null || options.Files.Count != 1)
        {
            context.Error.WriteLine(options.Error ?? "hub to-edi: give exactly one file.");
            return Task.FromResult(2);
        }
        byte[] edifact;
        try
        {
            using var stream = File.OpenRead(options.Files[0]);
            edifact = EdifactXml.ToEdifact(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{options.Files[0]}: cannot read: {e.Message}");
            return Task.FromResult(2);
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            context.Error.WriteLine($"{options.Files[0]}: not the EDIFACT XML form: {e.Message}");
            return Task.FromResult(1);
        }
        if (options.Value("-o") is { } output)
        {
            File.WriteAllBytes(output, edifact);
        }
        else
        {
            CliHub.WriteBytes(context, edifact);
        }
        return Task.FromResult(0);
    }
}
