using System.Security.Cryptography;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Xml;
using CrossBorderHub.Xml.Sbdh;
using CrossBorderHub.Xml.Signatures;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub sign`: enveloped XML-DSig on an XML file (or --envelope: wrap any file in a signed SBDH).</summary>
internal sealed class SignVerb : ICliVerb
{
    public string Name => "sign";

    public string Usage => "sign --cert CERT [--key KEY] [--password-env VAR] [--envelope] IN -o OUT   sign an XML document (XML-DSig, RSA/ECDSA-SHA256)";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        string? cert = null, key = null, passwordVariable = null, input = null, output = null;
        var envelope = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cert" when i + 1 < args.Length: cert = args[++i]; break;
                case "--key" when i + 1 < args.Length: key = args[++i]; break;
                case "--password-env" when i + 1 < args.Length: passwordVariable = args[++i]; break;
                case "-o" or "--output" when i + 1 < args.Length: output = args[++i]; break;
                case "--envelope": envelope = true; break;
                case var value when !value.StartsWith('-') && input is null: input = value; break;
                case var value when value.StartsWith("--Hub:", StringComparison.Ordinal) || value == "--config": if (value == "--config") { i++; } break;
                default:
                    context.Error.WriteLine($"hub sign: unexpected argument '{args[i]}'. Usage: hub {Usage}");
                    return 2;
            }
        }
        if (cert is null || input is null || output is null)
        {
            context.Error.WriteLine($"hub sign: --cert, IN and -o OUT are required. Usage: hub {Usage}");
            return 2;
        }
        var password = passwordVariable is null ? null : Environment.GetEnvironmentVariable(passwordVariable);
        if (passwordVariable is not null && password is null)
        {
            context.Error.WriteLine($"hub sign: environment variable '{passwordVariable}' is not set: export it with the certificate password");
            return 2;
        }
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = CertificateFiles.LoadWithPrivateKey(cert, key, password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            // The message names the file, never the password.
            context.Error.WriteLine($"hub sign: {cert}: cannot load the certificate with its private key ({ex.Message}): give a PFX, or a PEM with --key, and the password via --password-env");
            return 2;
        }
        byte[] payload;
        try
        {
            payload = await File.ReadAllBytesAsync(input, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"hub sign: {input}: {ex.Message}");
            return 2;
        }
        try
        {
            byte[] signed;
            if (envelope || !SbdhEnvelope.LooksLikeXml(payload))
            {
                var header = new SbdhHeader("hub", "", "", Path.GetFileName(input), TimeProvider.System.GetUtcNow());
                var document = SbdhEnvelope.Wrap(payload, header);
                XmlSignatures.Sign(document, certificate);
                signed = XmlSignatures.Serialize(document);
            }
            else
            {
                signed = StreamingSignatures.Sign(payload, certificate);
            }
            await File.WriteAllBytesAsync(output, signed, cancellationToken);
        }
        catch (UnsafeXmlException ex)
        {
            context.Error.WriteLine($"hub sign: {input}:{ex.Location}: {ex.Code}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"hub sign: {output}: {ex.Message}");
            return 2;
        }
        context.Out.WriteLine($"hub sign: {output}: signed by '{certificate.Subject}'");
        return 0;
    }
}
