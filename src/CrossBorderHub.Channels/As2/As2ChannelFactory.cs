using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Type = "as2". Outbound: posts to the partner's AS2 URL. Inbound: AS2 is pushed to the hub's POST /as2 endpoint,
/// so the inbound channel polls nothing; its section is the partner's receive profile (As2Id, TrustedCertificates...).
/// </summary>
public sealed class As2ChannelFactory : IChannelFactory
{
    public string Type => "as2";

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        var path = settings.Section.Path;
        var isOutbound = settings.Section["Url"] is not null || settings.Section["As2To"] is not null;
        if (!isOutbound)
        {
            var inbound = settings.Section.Get<As2InboundOptions>() ?? new As2InboundOptions();
            if (string.IsNullOrWhiteSpace(inbound.As2Id))
            {
                errors.Add($"{path}:As2Id is empty: set the partner's AS2 identifier (the AS2-From of what it sends).");
            }
            if (inbound.RequireSignature && inbound.TrustedCertificates.Count == 0)
            {
                errors.Add($"{path}:TrustedCertificates is empty: list the partner's signing certificate files (PEM/DER; the same files as its Signature:TrustedCertificates if it signs XML too), or set RequireSignature to false.");
            }
            LoadCertificates(settings, inbound.TrustedCertificates, $"{path}:TrustedCertificates", errors);
            return;
        }
        var options = Bind(settings);
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"{path}:Url '{options.Url}' is not an http(s) URL: give the partner's AS2 endpoint.");
        }
        if (string.IsNullOrWhiteSpace(options.As2From))
        {
            errors.Add($"{path}:As2From is empty: set the hub's AS2 identifier as this partner knows it.");
        }
        if (string.IsNullOrWhiteSpace(options.As2To))
        {
            errors.Add($"{path}:As2To is empty: set the partner's AS2 identifier.");
        }
        var encryption = As2Algorithms.EncryptionOid(options.EncryptionAlgorithm);
        if (encryption is null || As2Algorithms.IsGcm(encryption))
        {
            errors.Add($"{path}:EncryptionAlgorithm '{options.EncryptionAlgorithm}' is not supported for sending: use aes128-cbc, aes192-cbc, aes256-cbc or 3des.");
        }
        if (options.KeyEncryption is not ("rsa" or "rsa-oaep"))
        {
            errors.Add($"{path}:KeyEncryption '{options.KeyEncryption}' is unknown: use rsa or rsa-oaep.");
        }
        if (As2Algorithms.Digest(options.SignatureAlgorithm) is null)
        {
            errors.Add($"{path}:SignatureAlgorithm '{options.SignatureAlgorithm}' is unknown: use sha256, sha384, sha512 or sha1.");
        }
        if (options.ContentTransferEncoding is not ("binary" or "base64"))
        {
            errors.Add($"{path}:ContentTransferEncoding '{options.ContentTransferEncoding}' is unknown: use binary or base64.");
        }
        if (options.Mdn is not ("none" or "sync" or "async"))
        {
            errors.Add($"{path}:Mdn '{options.Mdn}' is unknown: use none, sync or async.");
        }
        if (options.Mdn == "async" && !Uri.TryCreate(options.MdnUrl, UriKind.Absolute, out _))
        {
            errors.Add($"{path}:MdnUrl is required for Mdn = async: give the hub's own AS2 URL the partner posts the MDN to (e.g. https://hub.example.org/as2).");
        }
        if ((options.Encrypt || options.Mdn != "none") && options.PartnerCertificates.Count == 0)
        {
            errors.Add($"{path}:PartnerCertificates is empty: list the partner's certificate files (to encrypt to it and verify its MDNs).");
        }
        var certificates = LoadCertificates(settings, options.PartnerCertificates, $"{path}:PartnerCertificates", errors);
        var now = settings.Context.Time.GetUtcNow().UtcDateTime;
        if (options.Encrypt && certificates.Count > 0 && !certificates.Any(c => c.NotBefore <= now && c.NotAfter >= now))
        {
            errors.Add($"{path}:PartnerCertificates has no certificate valid now: add the partner's current certificate.");
        }
        if (!string.IsNullOrWhiteSpace(options.HubCertificate))
        {
            try
            {
                using var _ = CertificateFiles.LoadWithPrivateKey(settings.Context.ResolvePath(options.HubCertificate), ResolveOptional(settings, options.HubPrivateKey), options.HubCertificatePassword);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{path}:HubCertificate '{options.HubCertificate}' cannot be loaded ({ex.Message}): give a PFX, or a PEM with HubPrivateKey.");
            }
        }
    }

    public IInboundChannel CreateInbound(ChannelSettings settings) => new As2InboundChannel();

    public IOutboundChannel CreateOutbound(ChannelSettings settings) => Create(settings);

    internal static As2OutboundChannel Create(ChannelSettings settings, HttpMessageHandler? handler = null)
    {
        var options = Bind(settings);
        var files = options.PartnerCertificates.Select(settings.Context.ResolvePath).ToList();
        X509Certificate2Collection Certificates() => [.. TrustedCertificates.Load(files)];
        X509Certificate2? hub = null;
        X509Certificate2 HubCertificate() => hub ??= !string.IsNullOrWhiteSpace(options.HubCertificate)
            ? CertificateFiles.LoadWithPrivateKey(settings.Context.ResolvePath(options.HubCertificate), ResolveOptional(settings, options.HubPrivateKey), options.HubCertificatePassword)
            : settings.Context.HubCertificate?.Invoke() ?? DevelopmentCertificate.GetOrCreate(settings.Context.DataRoot, settings.Context.Time);
        return new As2OutboundChannel(settings, options, Certificates, HubCertificate, handler);
    }

    internal static As2OutboundOptions Bind(ChannelSettings settings) => settings.Section.Get<As2OutboundOptions>() ?? new As2OutboundOptions();

    private static string? ResolveOptional(ChannelSettings settings, string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : settings.Context.ResolvePath(path);

    internal static X509Certificate2Collection LoadCertificates(ChannelSettings settings, IEnumerable<string> files, string setting, ICollection<string>? errors)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files)
        {
            try
            {
                collection.AddRange(CertificateFiles.LoadTrusted(settings.Context.ResolvePath(file)));
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException && errors is not null)
            {
                errors!.Add($"{settings.Section.Path}:{setting.Split(':')[^1]} '{file}' cannot be loaded ({ex.Message}): give a PEM or DER certificate file.");
            }
        }
        return collection;
    }
}

/// <summary>AS2 is pushed to POST /as2; there is nothing to poll.</summary>
internal sealed class As2InboundChannel : IInboundChannel
{
    public Task<PollResult> PollAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.FromResult(default(PollResult));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
