using System.Threading.RateLimiting;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>
/// Login for the admin web: cookie sessions for browsers, bearer API tokens for scripts, one policy per role level,
/// a rate limit on login attempts and antiforgery tokens on forms. Nothing is anonymous but /login, /health* and
/// /metrics (docs/admin.md).
/// </summary>
internal static class AdminSecurity
{
    public const string Scheme = "hub";
    public const string LoginRateLimit = "hub-login";

    public static IServiceCollection AddAdminSecurity(this IServiceCollection services, HubOptions options)
    {
        // Session cookies and antiforgery tokens are encrypted with keys kept beside the data: a restart keeps sessions.
        services.AddDataProtection().SetApplicationName("CrossBorderHub")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataRoot), "keys")));
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "cookie or bearer token", policy => policy.ForwardDefaultSelector = http =>
                BearerTokenHandler.HasBearer(http.Request) ? BearerTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, _ => { })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "hub_session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = "/login";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = e => Refuse(e, StatusCodes.Status401Unauthorized, "log in first: a session (POST /login) or an API token (Authorization: Bearer).");
                cookie.Events.OnRedirectToAccessDenied = e => Refuse(e, StatusCodes.Status403Forbidden, "your role may not do this: see docs/admin.md for what each role may do.");
                cookie.Events.OnValidatePrincipal = StillValidAsync;
            });
        services.AddAuthorization(authorization =>
        {
            foreach (var (policy, roles) in AdminPolicies.Roles)
            {
                authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            }
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "hub_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.SuppressXFrameOptionsHeader = true; // AdminExposure sends DENY on every answer
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.Admin.LoginAttemptsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = (context, ct) => new ValueTask(context.HttpContext.Response.WriteAsync(
                $"too many login attempts from this address (Hub:Admin:LoginAttemptsPerMinute is {options.Admin.LoginAttemptsPerMinute}): wait a minute and try again.", ct));
        });
        return services;
    }

    /// <summary>
    /// Routing first, so that an admin endpoint reached on another listener (AS2) is a 404 before authentication
    /// could answer 401 and reveal it; then rate limits, authentication and authorization.
    /// </summary>
    public static void UseAdminSecurity(this WebApplication app, Uri adminUrl)
    {
        app.UseRouting();
        app.Use((http, next) => http.Connection.LocalPort != adminUrl.Port && http.GetEndpoint()?.Metadata.GetMetadata<AdminPortOnly>() is not null
            ? Results.NotFound().ExecuteAsync(http)
            : next(http));
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> e, int status, string detail)
    {
        // API clients (and the OpenAPI document describing the API) get the status; browsers on a page the login form.
        if (!e.Request.Path.StartsWithSegments("/api") && !e.Request.Path.StartsWithSegments("/openapi") && status == StatusCodes.Status401Unauthorized)
        {
            e.Response.Redirect(e.RedirectUri);
            return Task.CompletedTask;
        }
        e.Response.StatusCode = status;
        return e.Response.WriteAsJsonAsync(new { title = status == 401 ? "Unauthorized" : "Forbidden", status, detail });
    }

    /// <summary>A session ends when its user is removed or changes role (checked on each request: one indexed query).</summary>
    private static async Task StillValidAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var user = name is null ? null : await context.HttpContext.RequestServices.GetRequiredService<IUserStore>().FindAsync(name, context.HttpContext.RequestAborted);
        if (user is null || !context.Principal!.IsInRole(user.Role))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

/// <summary>Marks an endpoint that exists only on the admin listener.</summary>
internal sealed class AdminPortOnly
{
    public static readonly AdminPortOnly Instance = new();
}
