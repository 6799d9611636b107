using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// The hub's own certificate (Hub:Identity) for outbound AS2 channels. Channel factories see only their section, so
/// the host hands the loaded <c>CrossBorderHub.Core.Certificates.HubCertificate</c> over here at start-up (MapAs2 does).
/// Without it, a channel uses its HubCertificate setting or the development certificate in the data root.
/// </summary>
public static class As2HubIdentity
{
    private static Func<X509Certificate2>? _provider;

    public static void Use(Func<X509Certificate2> provider) => _provider = provider;

    internal static X509Certificate2? Current => _provider?.Invoke();
}
