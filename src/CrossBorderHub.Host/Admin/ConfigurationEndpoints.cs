using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The configuration versions: GET/PUT /api/config, GET /api/config/versions, POST /api/config/rollback (admin), and
/// the /config page (versions, the diff of each against the one before, a roll-back button). Secrets are masked in
/// everything shown; a PUT that sends a mask back keeps the stored secret.
/// </summary>
internal static class ConfigurationEndpoints
{
    public static void MapConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapPartnerPages();
        app.MapRoutePages();
        app.MapUserPages();
        app.MapGet("/api/config", (CurrentConfiguration current) =>
            Results.Json(new { version = current.Version, configuration = ConfigurationDocument.Masked(current.Document) }, MessagesVerb.Json)).RequireAuthorization(AdminPolicies.Admin);
        app.MapPut("/api/config", async (HttpContext http, CurrentConfiguration current, string? comment, string? expectedVersion) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var (document, problem) = ConfigurationDocument.Parse(await reader.ReadToEndAsync(http.RequestAborted));
            if (document is null)
            {
                return Results.Problem(title: "Invalid configuration", detail: problem, statusCode: StatusCodes.Status400BadRequest);
            }
            long? expected = null;
            if (expectedVersion is not null)
            {
                if (!long.TryParse(expectedVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Results.Problem(title: "Invalid query parameter 'expectedVersion'", detail: $"'{expectedVersion}' is not a version number: use the 'version' of GET /api/config.",
                        statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["parameter"] = "expectedVersion" });
                }
                expected = parsed;
            }
            return Saved(await current.SaveAsync(document, User(http), Address(http), comment ?? "saved through the admin API", expected, http.RequestAborted));
        }).RequireAuthorization(AdminPolicies.Admin);
        app.MapGet("/api/config/versions", async (IConfigurationVersions versions, CancellationToken ct) =>
        {
            var list = await versions.ListAsync(ct);
            return Results.Json(new { total = list.Count, versions = list.Select(v => new { v.Version, v.SavedAt, v.User, v.Comment }) }, MessagesVerb.Json);
        }).RequireAuthorization(AdminPolicies.Admin);
        app.MapPost("/api/config/rollback", async (HttpContext http, CurrentConfiguration current, IConfigurationVersions versions, string? version) =>
        {
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return Results.Problem(title: "Invalid query parameter 'version'", detail: $"'{version}' is not a version number: use one of GET /api/config/versions.",
                    statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["parameter"] = "version" });
            }
            var saved = await RollBackAsync(http, current, versions, number);
            return saved is null
                ? Results.Problem(title: "No such version", detail: $"there is no configuration version {number}: use one of GET /api/config/versions.", statusCode: StatusCodes.Status404NotFound)
                : Saved(saved);
        }).RequireAuthorization(AdminPolicies.Admin);

        app.MapGet("/config", async (HttpContext http, CurrentConfiguration current, IConfigurationVersions versions, IAntiforgery antiforgery, CancellationToken ct) =>
            AdminLayout.Page(http, "Configuration", VersionsPage(http, antiforgery, current, await versions.ListAsync(ct), http.Request.Query["saved"]))).RequireAuthorization(AdminPolicies.Admin);
        app.MapGet("/config/{version:long}", async (long version, HttpContext http, IConfigurationVersions versions, CancellationToken ct) =>
        {
            var shown = await versions.GetAsync(version, ct);
            if (shown is null)
            {
                return AdminLayout.Page(http, "No such version", $"<p>There is no configuration version {version}: see <a href='/config'>the versions</a>.</p>", statusCode: StatusCodes.Status404NotFound);
            }
            var previous = version > 1 ? await versions.GetAsync(version - 1, ct) : null;
            var now = ConfigurationDocument.Parse(shown.Json).Document ?? [];
            var before = previous is null ? null : ConfigurationDocument.Parse(previous.Json).Document;
            var html = new StringBuilder();
            html.Append(CultureInfo.InvariantCulture, $"<p><a href='/config'>← versions</a> · saved {shown.SavedAt:u} by {AdminLayout.E(shown.User)}: {AdminLayout.E(shown.Comment)}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<h2>Changes from version {version - 1}</h2><pre id=diff>");
            foreach (var line in ConfigurationDocument.Diff(before, now))
            {
                html.Append(CultureInfo.InvariantCulture, $"<span class='{(line.StartsWith('+') ? "ok" : "error")}'>{AdminLayout.E(line)}</span>\n");
            }
            html.Append("</pre><h2>Whole version</h2><pre id=json>").Append(AdminLayout.E(ConfigurationDocument.Text(ConfigurationDocument.Masked(now)))).Append("</pre>");
            return AdminLayout.Page(http, $"Configuration version {version}", html.ToString());
        }).RequireAuthorization(AdminPolicies.Admin);
        app.MapPost("/config/rollback", async (HttpContext http, CurrentConfiguration current, IConfigurationVersions versions, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (!long.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || await RollBackAsync(http, current, versions, number) is not { } saved)
            {
                return AdminLayout.Page(http, "No such version", "<p>That version does not exist: pick one on <a href='/config'>the versions page</a>.</p>", statusCode: StatusCodes.Status404NotFound);
            }
            return saved.Version is { } v
                ? Results.Redirect($"/config?saved={v}")
                : AdminLayout.Page(http, "Roll back refused", FormErrors.List(saved.Errors), statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
    }

    public static string User(HttpContext http) => http.User.Identity?.Name ?? "";

    public static string? Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    /// <summary>A new version equal to the chosen one (the history is never rewritten); null for an unknown version.</summary>
    private static async Task<ConfigurationSave?> RollBackAsync(HttpContext http, CurrentConfiguration current, IConfigurationVersions versions, long number)
    {
        var old = await versions.GetAsync(number, http.RequestAborted);
        if (old is null || ConfigurationDocument.Parse(old.Json).Document is not { } document)
        {
            return null;
        }
        return await current.SaveAsync(document, User(http), Address(http), $"roll back to version {number}", null, http.RequestAborted);
    }

    private static IResult Saved(ConfigurationSave saved) => saved.Version is { } version
        ? Results.Json(new { version, diff = saved.Diff }, MessagesVerb.Json)
        : Results.Problem(title: saved.Conflict ? "Changed meanwhile" : "Invalid configuration", detail: string.Join(" ", saved.Errors),
            statusCode: saved.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            extensions: new Dictionary<string, object?> { ["errors"] = saved.Errors });

    private static string VersionsPage(HttpContext http, IAntiforgery antiforgery, CurrentConfiguration current, IReadOnlyList<ConfigurationVersion> versions, string? saved)
    {
        var html = new StringBuilder();
        if (!string.IsNullOrEmpty(saved))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=ok id=saved>Saved as version {AdminLayout.E(saved)}; every instance applies it on its next poll.</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>This instance runs version <b id=running>{current.Version}</b>. Export and import with <code>hub config export</code> / <code>hub config import FILE</code>.</p>");
        html.Append("<table id=versions><tr><th>Version</th><th>Saved</th><th>By</th><th>Comment</th><th></th></tr>");
        foreach (var v in versions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr id='version-{v.Version}'><td><a href='/config/{v.Version}'>{v.Version}</a></td><td>{v.SavedAt:u}</td><td>{AdminLayout.E(v.User)}</td><td>{AdminLayout.E(v.Comment)}</td><td>")
                .Append(v.Version == current.Version ? "running" : $"<form method=post action='/config/rollback'>{LoginEndpoints.TokenField(http, antiforgery)}<input type=hidden name=version value={v.Version}><button id='rollback-{v.Version}'>Roll back to this</button></form>")
                .Append("</td></tr>");
        }
        html.Append("</table>");
        return html.ToString();
    }
}

/// <summary>Validation errors on a form: each beside the field whose setting it names, the others above the form.</summary>
internal static class FormErrors
{
    public static string List(IEnumerable<string> errors) =>
        "<ul id=errors class=error>" + string.Concat(errors.Select(e => $"<li>{AdminLayout.E(e)}</li>")) + "</ul>";

    /// <summary>The errors about <paramref name="key"/> (Hub:Partners:TH:Country...), shown under that field.</summary>
    public static string Beside(IReadOnlyList<string> errors, string key, string id) =>
        string.Concat(errors.Where(e => Names(e, key)).Select(e => $"<div class=field-error id='error-{AdminLayout.E(id)}'>{AdminLayout.E(e)}</div>"));

    public static bool Names(string error, string key) =>
        error.StartsWith(key, StringComparison.OrdinalIgnoreCase) && (error.Length == key.Length || error[key.Length] is ':' or ' ' or '\'' or '.');

    /// <summary>The errors no field on the form names.</summary>
    public static IReadOnlyList<string> Rest(IReadOnlyList<string> errors, IEnumerable<string> keys) =>
        errors.Where(e => !keys.Any(k => Names(e, k))).ToList();
}
