using System.Net;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Host.Admin.Security;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// Keeps the admin web where it belongs: on Hub:Admin:Url only, for its own host names only, with no cross-origin
/// state change. Off loopback it needs TLS: a session cookie or token sent in clear text is anyone's on the network.
/// </summary>
internal static class AdminExposure
{
    private static readonly string[] StateChangingMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>
    /// One line when Hub:Admin:Url may not be used, else null. Login is always on; a non-loopback URL also needs https
    /// with Hub:Admin:TlsCertificate, and, when it listens on every address, the host names browsers will use.
    /// </summary>
    public static string? Refusal(AdminOptions admin)
    {
        var url = admin.Url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"Hub:Admin:Url '{url}' is not an http(s) URL; set it to http://127.0.0.1:PORT.";
        }
        if (IsLoopback(uri.Host))
        {
            return null;
        }
        if (uri.Scheme != "https" || string.IsNullOrWhiteSpace(admin.TlsCertificate))
        {
            return $"Hub:Admin:Url '{url}' is not a loopback address and not https with a certificate: set it to https://{uri.Host}:{uri.Port} with Hub:Admin:TlsCertificate (and TlsPrivateKey or TlsCertificatePassword), or to http://127.0.0.1:{uri.Port}.";
        }
        if (!File.Exists(admin.TlsCertificate))
        {
            return $"Hub:Admin:TlsCertificate '{admin.TlsCertificate}' does not exist: give the path of the admin web's PFX or PEM certificate.";
        }
        return IsWildcard(uri.Host) && admin.AllowedHosts.Count == 0
            ? $"Hub:Admin:Url '{url}' listens on every address but Hub:Admin:AllowedHosts is empty: list the host names browsers use (e.g. [\"hub.example.org\"])."
            : null;
    }

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "[::]" or "*" or "+";

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// Host check, security headers and the same-origin rule for requests that arrive on the admin port; the admin
    /// endpoints themselves answer only there (<see cref="OnlyOnAdminPort"/>).
    /// </summary>
    public static void UseAdminExposure(this WebApplication app, Uri adminUrl, IReadOnlyCollection<string> allowedHosts)
    {
        var port = adminUrl.Port;
        app.UseWhen(http => http.Connection.LocalPort == port, admin => admin.Use(async (http, next) =>
        {
            // A foreign Host (DNS rebinding, a proxy that forwards anything) never reaches the admin web.
            var host = http.Request.Host.Host;
            if (!IsLoopback(host) && !string.Equals(host, adminUrl.Host, StringComparison.OrdinalIgnoreCase) && !allowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync($"Host '{http.Request.Host}' is not the admin web's; use {adminUrl.GetLeftPart(UriPartial.Authority)}.");
                return;
            }
            if (StateChangingMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) && IsCrossOrigin(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsync("cross-origin requests may not change the hub's state.");
                return;
            }
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
            // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with its own forms, which the
            // same-origin rule would refuse; other sites still learn nothing.
            headers["Referrer-Policy"] = "same-origin";
            await next(http);
        }));
    }

    /// <summary>A browser says where a request comes from; anything but this origin (or a typed URL) is refused.</summary>
    private static bool IsCrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return true;
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An admin endpoint answers 404 on any other listener (AS2), whatever Host header the caller sends: before
    /// authentication (the marker, AdminSecurity) and again at the endpoint (the filter).
    /// </summary>
    public static TBuilder OnlyOnAdminPort<TBuilder>(this TBuilder builder, int port) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AdminPortOnly.Instance).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.LocalPort == port ? await next(context) : Results.NotFound());
}
