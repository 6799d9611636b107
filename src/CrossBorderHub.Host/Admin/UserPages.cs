using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Host.Admin.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /users (admin): the admin web's users; add one, change a role, set a new password (which also unlocks), remove one.
/// Each change is an audit event. An admin cannot remove or demote the account it is signed in with (no lock-out).
/// </summary>
internal static class UserPages
{
    public static void MapUserPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/users", async (HttpContext http, UserAccounts accounts, IAntiforgery antiforgery, CancellationToken ct) =>
            AdminLayout.Page(http, "Users", Page(http, antiforgery, await accounts.Users.ListAsync(ct), http.Request.Query["done"], null))).RequireAuthorization(AdminPolicies.Admin);
        app.MapPost("/users", async (HttpContext http, UserAccounts accounts, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var (done, error) = await ChangeAsync(http, accounts, form["action"].ToString(), form["name"].ToString().Trim(), form["role"].ToString(), form["password"].ToString());
            return error is null
                ? Results.Redirect("/users?done=" + Uri.EscapeDataString(done))
                : AdminLayout.Page(http, "Users", Page(http, antiforgery, await accounts.Users.ListAsync(http.RequestAborted), null, error), statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
    }

    private static async Task<(string Done, string? Error)> ChangeAsync(HttpContext http, UserAccounts accounts, string action, string name, string role, string password)
    {
        var actor = http.User.Identity?.Name ?? "";
        var address = http.Connection.RemoteIpAddress?.ToString();
        var ct = http.RequestAborted;
        var now = accounts.Time.GetUtcNow();
        if (name.Length == 0 || name.Length > 100 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return ("", $"user name '{name}' is empty or has spaces or control characters: use letters, digits, '.', '-' or '_'.");
        }
        if (action is "add" or "role" && !HubRoles.IsKnown(role))
        {
            return ("", $"role '{role}' is unknown: use one of {string.Join(", ", HubRoles.All)}.");
        }
        if (action is "add" or "password" && password.Length < UserAccounts.MinimumPasswordLength)
        {
            return ("", $"the password has {password.Length} characters: use at least {UserAccounts.MinimumPasswordLength}.");
        }
        if (action is "remove" or "role" && name.Equals(actor, StringComparison.Ordinal) && !(action == "role" && role == HubRoles.Admin))
        {
            return ("", $"you are signed in as '{name}': another admin must {(action == "remove" ? "remove" : "demote")} this account, so that an admin always remains.");
        }
        switch (action)
        {
            case "add":
                if (!await accounts.Users.AddAsync(new HubUser(name, role, UserAccounts.HashPassword(password), 0, null, now), ct))
                {
                    return ("", $"a user named '{name}' exists already: choose another name, or reset that user's password.");
                }
                await accounts.Audit.AddAsync(now, actor, address, "user-added", $"user '{name}' with role {role}", ct);
                return ($"user {name} added as {role}", null);
            case "role":
                if (!await accounts.Users.SetRoleAsync(name, role, ct))
                {
                    return ("", $"there is no user '{name}': reload the page.");
                }
                await accounts.Audit.AddAsync(now, actor, address, "user-role", $"user '{name}' is now {role}", ct);
                return ($"user {name} is now {role}", null);
            case "password":
                if (!await accounts.Users.SetPasswordAsync(name, UserAccounts.HashPassword(password), ct))
                {
                    return ("", $"there is no user '{name}': reload the page.");
                }
                await accounts.Audit.AddAsync(now, actor, address, "user-reset", $"new password for user '{name}' (failed logins and lock cleared)", ct);
                return ($"new password set for {name}", null);
            case "remove":
                if (!await accounts.Users.RemoveAsync(name, ct))
                {
                    return ("", $"there is no user '{name}': reload the page.");
                }
                await accounts.Audit.AddAsync(now, actor, address, "user-removed", $"user '{name}' and its API tokens removed", ct);
                return ($"user {name} removed", null);
            default:
                return ("", $"'{action}' is not add, role, password or remove: use the page's buttons.");
        }
    }

    private static string Page(HttpContext http, IAntiforgery antiforgery, IReadOnlyList<HubUser> users, string? done, string? error)
    {
        var token = LoginEndpoints.TokenField(http, antiforgery);
        var html = new StringBuilder();
        if (!string.IsNullOrEmpty(done))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=ok id=done>{AdminLayout.E(done)}.</p>");
        }
        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=error id=error>{AdminLayout.E(error)}</p>");
        }
        html.Append("<table id=users><tr><th>User</th><th>Role</th><th>Created</th><th>State</th><th>Change role</th><th>New password</th><th></th></tr>");
        var now = DateTimeOffset.UtcNow;
        foreach (var user in users)
        {
            var name = AdminLayout.E(user.Name);
            var state = user.LockedUntil is { } until && until > now ? $"locked until {until:u}" : "active";
            html.Append(CultureInfo.InvariantCulture, $"<tr id='user-{name}'><td>{name}</td><td>{AdminLayout.E(user.Role)}</td><td>{user.CreatedAt:u}</td><td>{state}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><form method=post action='/users'>{token}<input type=hidden name=action value=role><input type=hidden name=name value='{name}'>{PartnerPages.Select("role", HubRoles.All, user.Role).Replace("id=role ", "", StringComparison.Ordinal)}<button>Set role</button></form></td>")
                .Append(CultureInfo.InvariantCulture, $"<td><form method=post action='/users'>{token}<input type=hidden name=action value=password><input type=hidden name=name value='{name}'><input type=password name=password autocomplete=new-password aria-label='new password for {name}'><button>Set password</button></form></td>")
                .Append(CultureInfo.InvariantCulture, $"<td><form method=post action='/users'>{token}<input type=hidden name=action value=remove><input type=hidden name=name value='{name}'><button>Remove</button></form></td></tr>");
        }
        html.Append("</table><h2>Add a user</h2><form method=post action='/users' id=add-user>").Append(token)
            .Append("<input type=hidden name=action value=add><label for=new-name>User name</label><input id=new-name name=name required>")
            .Append("<label for=new-role>Role</label>").Append(PartnerPages.Select("role", HubRoles.All, HubRoles.Viewer).Replace("id=role", "id=new-role", StringComparison.Ordinal))
            .Append(CultureInfo.InvariantCulture, $"<label for=new-password>Password (at least {UserAccounts.MinimumPasswordLength} characters)</label><input id=new-password name=password type=password autocomplete=new-password required>")
            .Append("<p><button id=add>Add user</button></p></form>");
        return html.ToString();
    }
}
