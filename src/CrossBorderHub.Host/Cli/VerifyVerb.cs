using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Sbdh;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub verify`: checks a document's enveloped XML-DSig against pinned certificates only.</summary>
internal sealed class VerifyVerb : ICliVerb
{
    public string Name => "verify";

    public string Usage => "verify --trust CERT [--trust CERT2 ...] IN   verify an XML signature against pinned certificates (0 valid, 1 invalid)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var trustFiles = new List<string>();
        var switches = new List<string>();
        string? input = null, configFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trust" when i + 1 < args.Length: trustFiles.Add(args[++i]); break;
                case var value when !value.StartsWith('-') && input is null: input = value; break;
                case "--config" when i + 1 < args.Length: configFile = args[++i]; break;
                case var value when value.StartsWith("--Hub:", StringComparison.Ordinal): switches.Add(value); break;
                default:
                    context.Error.WriteLine($"hub verify: unexpected argument '{args[i]}'. Usage: hub {Usage}");
                    return Task.FromResult(2);
            }
        }
        if (trustFiles.Count == 0 || input is null)
        {
            context.Error.WriteLine($"hub verify: --trust CERT and IN are required. Usage: hub {Usage}");
            return Task.FromResult(2);
        }
        var trusted = new List<X509Certificate2>();
        foreach (var file in trustFiles)
        {
            try
            {
                trusted.AddRange(CertificateFiles.LoadTrusted(file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                context.Error.WriteLine($"hub verify: {file}: cannot load the trusted certificate ({ex.Message}): give a PEM or DER certificate file");
                return Task.FromResult(2);
            }
        }
        XmlLimits limits;
        try
        {
            limits = CliHub.LoadOptions(configFile, switches).Processing.Xml;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            context.Error.WriteLine($"hub verify: cannot read the configuration: {e.Message}");
            return Task.FromResult(2);
        }
        SignatureVerification result;
        try
        {
            // The size first, as `hub validate` and the pipeline do: an oversized document costs a stat, not a read.
            var length = new FileInfo(input).Length;
            if (length > limits.MaxDocumentBytes)
            {
                context.Error.WriteLine($"hub verify: {input}:1:1: XML-TOO-LARGE: the document is {length:N0} bytes, over the limit of {limits.MaxDocumentBytes:N0} " +
                    "(Hub:Processing:Xml:MaxDocumentBytes): split it, or raise the limit with --Hub:Processing:Xml:MaxDocumentBytes=BYTES");
                return Task.FromResult(1);
            }
            // Streamed from the file (twice: the root element, then the digest), never held whole in memory.
            Stream Open() => new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            result = StreamingSignatures.Verify(Open, trusted, TimeProvider.System.GetUtcNow(), allowSignedPayload: IsEnvelope(Open, limits), limits);
        }
        catch (UnsafeXmlException ex)
        {
            context.Error.WriteLine($"hub verify: {input}:{ex.Location}: {ex.Code}: {ex.Message}");
            return Task.FromResult(1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"hub verify: {input}: {ex.Message}");
            return Task.FromResult(2);
        }
        if (!result.Valid)
        {
            context.Error.WriteLine($"hub verify: {input}: {result.Code}: {result.Reason}");
            return Task.FromResult(1);
        }
        context.Out.WriteLine($"hub verify: {input}: OK, {result.Reason}");
        return Task.FromResult(0);
    }

    private static bool IsEnvelope(Func<Stream> open, XmlLimits limits)
    {
        using var stream = open();
        using var reader = SafeXml.CreateReader(stream, limits);
        try
        {
            reader.MoveToContent();
        }
        catch (System.Xml.XmlException ex)
        {
            throw SafeXml.Translate(ex, reader, limits);
        }
        return SbdhEnvelope.IsEnvelope(reader.NamespaceURI, reader.LocalName);
    }
}
