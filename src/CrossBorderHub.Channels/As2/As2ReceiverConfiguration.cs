using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Builds <see cref="As2ReceiverOptions"/> from configuration: Hub:As2 (Id, MaxBodyBytes) and every partner whose
/// Inbound section has Type "as2" (As2Id, TrustedCertificates, RequireSignature, RequireEncryption).
/// </summary>
public static class As2ReceiverConfiguration
{
    public static As2ReceiverOptions Load(IConfiguration configuration, X509Certificate2 hubCertificate, ChannelContext context, ICollection<string> errors)
    {
        var hub = configuration.GetSection("Hub:As2");
        var ids = new List<string>();
        var id = hub["Id"];
        if (!string.IsNullOrWhiteSpace(id))
        {
            ids.Add(id.Trim());
        }
        ids.AddRange(hub.GetSection("AdditionalIds").Get<List<string>>() ?? []);
        if (ids.Count == 0)
        {
            errors.Add("Hub:As2:Id is empty: set the hub's AS2 identifier (what partners put in AS2-To).");
        }
        var partners = new List<As2PartnerProfile>();
        foreach (var partner in configuration.GetSection("Hub:Partners").GetChildren())
        {
            var inbound = partner.GetSection("Inbound");
            if (!string.Equals(inbound["Type"], "as2", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var options = inbound.Get<As2InboundOptions>() ?? new As2InboundOptions();
            var settings = new ChannelSettings(partner.Key, "as2", inbound, context);
            var partnerName = partner.Key;
            new As2ChannelFactory().Validate(settings, errors);
            if (string.IsNullOrWhiteSpace(options.As2Id))
            {
                continue;
            }
            partners.Add(new As2PartnerProfile
            {
                Partner = partner.Key,
                As2Id = options.As2Id.Trim(),
                // Read through Core's TrustedCertificates (as XML-DSig pins are): a replaced file is picked up without restart.
                TrustedCertificateFiles = [.. options.TrustedCertificates.Select(context.ResolvePath)],
                StoredCertificates = context.Pins is { } pins ? () => pins.ValidFor(partnerName, Core.Certificates.CertificateUses.As2, context.Time.GetUtcNow()) : null,
                RequireSignature = options.RequireSignature,
                RequireEncryption = options.RequireEncryption,
            });
        }
        var maxBody = hub.GetValue<long?>("MaxBodyBytes");
        var retention = hub.GetValue<TimeSpan?>("SeenRetention");
        return new As2ReceiverOptions
        {
            HubIds = ids,
            HubCertificate = hubCertificate,
            DataRoot = context.DataRoot,
            Partners = partners,
            MaxBodyBytes = maxBody ?? 512L * 1024 * 1024,
            SeenRetention = retention ?? TimeSpan.FromDays(90),
        };
    }
}
