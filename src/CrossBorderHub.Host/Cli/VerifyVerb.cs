using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Xml;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub verify`: checks a document's enveloped XML-DSig against pinned certificates only.</summary>
internal sealed class VerifyVerb : ICliVerb
{
    public string Name => "verify";

    public string Usage => "verify --trust CERT [--trust CERT2 ...] IN   verify an XML signature against pinned certificates (0 valid, 1 invalid)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var trustFiles = new List<string>();
        string? input = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trust" when i + 1 < args.Length: trustFiles.Add(args[++i]); break;
                case var value when !value.StartsWith('-') && input is null: input = value; break;
                case var value when value.StartsWith("--Hub:", StringComparison.Ordinal) || value == "--config": if (value == "--config") { i++; } break;
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
        SignatureVerification result;
        try
        {
            var bytes = File.ReadAllBytes(input);
            result = StreamingSignatures.Verify(bytes, trusted, TimeProvider.System.GetUtcNow(), allowSignedPayload: IsEnvelope(bytes));
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

    private static bool IsEnvelope(byte[] bytes)
    {
        using var reader = SafeXml.CreateReader(new MemoryStream(bytes, writable: false));
        reader.MoveToContent();
        return SbdhEnvelope.IsEnvelope(reader.NamespaceURI, reader.LocalName);
    }
}
