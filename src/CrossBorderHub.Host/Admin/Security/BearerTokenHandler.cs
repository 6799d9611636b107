using System.Text.Encodings.Web;
using CrossBorderHub.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>`Authorization: Bearer TOKEN` with a token from `hub users add --token` / `hub users token`, looked up by its hash.</summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IUserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "hub-token";

    public static bool HasBearer(HttpRequest request) => request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }
        var token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var user = await users.FindByTokenAsync(UserAccounts.HashToken(token), Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail("unknown API token")
            : AuthenticateResult.Success(new AuthenticationTicket(AdminPolicies.Principal(user, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new { title = "Unauthorized", status = 401, detail = "the API token is unknown: create one with 'hub users token NAME'." });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new { title = "Forbidden", status = 403, detail = "this token's role may not do this: see docs/admin.md for what each role may do." });
    }
}
