using System.Net;
using CrossBorderHub.Core.Configuration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>GET/POST /login and POST /logout: the only admin pages without a session. Both POSTs need the form's antiforgery token.</summary>
internal static class LoginEndpoints
{
    public static void MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery antiforgery, string? returnUrl) => Page(http, antiforgery, returnUrl, null, StatusCodes.Status200OK))
            .AllowAnonymous();
        app.MapPost("/login", async (HttpContext http, IAntiforgery antiforgery, UserAccounts accounts, HubOptions options) =>
        {
            if (await RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var name = form["username"].ToString().Trim();
            var returnUrl = form["returnUrl"].ToString();
            var outcome = await accounts.LoginAsync(name, form["password"].ToString(), options.Admin.MaxFailedLogins, options.Admin.Lockout,
                http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
            if (outcome.User is not { } user)
            {
                return Page(http, antiforgery, returnUrl, outcome.Refusal, StatusCodes.Status401Unauthorized);
            }
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AdminPolicies.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            // Only a local path: a login link must not be able to send the browser to another site afterwards.
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
        }).AllowAnonymous().RequireRateLimiting(AdminSecurity.LoginRateLimit).DisableAntiforgery();
        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (await RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        }).AllowAnonymous().DisableAntiforgery();
    }

    /// <summary>Checked here rather than by the middleware, so a refusal is a page that says what to do, not an empty 400.</summary>
    public static async Task<IResult?> RefusedForgeryAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Text("the form's antiforgery token is missing or stale: reload the page and submit it again.", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The hidden field every state-changing form carries.</summary>
    public static string TokenField(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=hidden name='{E(tokens.FormFieldName)}' value='{E(tokens.RequestToken)}'>";
    }

    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var html = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Log in · CrossBorderHub</title>" +
            "<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:22rem;color:#222}label,input,button{display:block;width:100%;margin:.3rem 0}" +
            "input{padding:.4rem}.error{color:#b00020}</style></head><body><h1>CrossBorderHub</h1>" +
            (error is null ? "" : $"<p class=error id=error>{E(error)}</p>") +
            "<form method=post action='/login'>" + TokenField(http, antiforgery) +
            $"<input type=hidden name=returnUrl value='{E(returnUrl)}'>" +
            "<label for=username>User</label><input id=username name=username autocomplete=username required autofocus>" +
            "<label for=password>Password</label><input id=password name=password type=password autocomplete=current-password required>" +
            "<button id=login>Log in</button></form></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
}
