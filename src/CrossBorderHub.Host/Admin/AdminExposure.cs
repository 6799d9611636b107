using System.Net;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// Keeps the admin web where it belongs: on Hub:Admin:Url only, for loopback host names only, with no cross-origin
/// state change. The admin web has no login yet, so anything that reaches it can read every payload.
/// </summary>
internal static class AdminExposure
{
    private static readonly string[] StateChangingMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>
    /// One line when Hub:Admin:Url may not be used, else null. Relax here when login exists: a non-loopback URL
    /// then requires https and login.
    /// </summary>
    public static string? Refusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"Hub:Admin:Url '{url}' is not an http(s) URL; set it to http://127.0.0.1:PORT.";
        }
        return IsLoopback(uri.Host)
            ? null
            : $"Hub:Admin:Url '{url}' is not a loopback address and the admin web has no login yet; set it to http://127.0.0.1:{uri.Port} and put an authenticating reverse proxy in front (a non-loopback address will require TLS and login).";
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// Host check, security headers and the same-origin rule for requests that arrive on the admin port; the admin
    /// endpoints themselves answer only there (<see cref="OnlyOnAdminPort"/>).
    /// </summary>
    public static void UseAdminExposure(this WebApplication app, Uri adminUrl)
    {
        var port = adminUrl.Port;
        app.UseWhen(http => http.Connection.LocalPort == port, admin => admin.Use(async (http, next) =>
        {
            // A foreign Host (DNS rebinding, a proxy that forwards anything) never reaches the admin web.
            if (!IsLoopback(http.Request.Host.Host) && !string.Equals(http.Request.Host.Host, adminUrl.Host, StringComparison.OrdinalIgnoreCase))
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
            headers["Referrer-Policy"] = "no-referrer";
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

    /// <summary>An admin endpoint answers 404 on any other listener (AS2), whatever Host header the caller sends.</summary>
    public static TBuilder OnlyOnAdminPort<TBuilder>(this TBuilder builder, int port) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.LocalPort == port ? await next(context) : Results.NotFound());
}
