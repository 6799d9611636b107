using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Edifact.Xml;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub to-xml FILE [-o OUT]`: the lossless XML form of an EDIFACT interchange (`hub to-edi` reverses it).</summary>
internal sealed class ToXmlVerb : ICliVerb
{
    public string Name => "to-xml";

    public string Usage => "to-xml FILE [-o OUT]   EDIFACT -> lossless XML (positions kept; to-edi gives the bytes back)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["-o"], []);
        if (options.Error is not null || options.Files.Count != 1)
        {
            context.Error.WriteLine(options.Error ?? "hub to-xml: give exactly one file.");
            return Task.FromResult(2);
        }
        byte[] data;
        try
        {
            data = File.ReadAllBytes(options.Files[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{options.Files[0]}: cannot read: {e.Message}");
            return Task.FromResult(2);
        }
        if (!EdifactInspector.LooksLikeEdifact(data.AsSpan(0, Math.Min(data.Length, 4096))))
        {
            // Anything else would come out as a "XML form" of nothing, exit 0: refuse it instead.
            var what = data.Length == 0 ? "the file is empty" : data.AsSpan().TrimStart("\uFEFF"u8).TrimStart(" \t\r\n"u8).StartsWith("<"u8) ? "it is XML" : "it does not start with UNA or UNB";
            context.Error.WriteLine($"{options.Files[0]}: not an EDIFACT interchange ({what}): hub to-xml reads UN/EDIFACT; to turn the XML form back into EDIFACT use hub to-edi.");
            return Task.FromResult(1);
        }
        var xml = EdifactXml.ToXml(data);
        if (options.Value("-o") is { } output)
        {
            xml.Save(output);
        }
        else
        {
            context.Out.WriteLine(xml.Declaration + xml.ToString());
        }
        return Task.FromResult(0);
    }
}
