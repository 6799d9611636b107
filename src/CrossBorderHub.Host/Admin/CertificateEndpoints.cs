using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Certificates;
using CrossBorderHub.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /certificates (the page) and /api/certificates: every certificate the hub uses, soonest expiry first; uploads and
/// removals for admins. A form POST needs its antiforgery token; an API call with a bearer token does not carry one.
/// </summary>
internal static class CertificateEndpoints
{
    public static void MapCertificates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/certificates", async (CertificateInventory inventory, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return Results.Json((await inventory.ListAsync(ct)).Select(e => new
            {
                e.Source, e.Id, e.Partner, usedFor = e.UsedFor, e.Subject, e.Issuer, e.Fingerprint, e.NotBefore, e.NotAfter, state = e.State(now), e.Error,
            }), MessagesVerb.Json);
        });
        var admin = app.MapGroup("").RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
        admin.MapPost("/api/certificates", (HttpContext http, CertificateUploads uploads) =>
            ApiAsync(http, (form, user, address) => uploads.UploadPartnerAsync(form, user, address, http.RequestAborted)));
        admin.MapDelete("/api/certificates/{id:long}", async (long id, HttpContext http, CertificateUploads uploads) =>
            Answer(await uploads.RemoveAsync(id, User(http), Address(http), http.RequestAborted)));
        admin.MapPost("/api/certificates/hub", (HttpContext http, CertificateUploads uploads) =>
            ApiAsync(http, (form, user, address) => uploads.ReplaceHubAsync(form, user, address, http.RequestAborted)));
        admin.MapDelete("/api/certificates/hub", async (HttpContext http, CertificateUploads uploads) =>
            Answer(await uploads.RevertHubAsync(User(http), Address(http), http.RequestAborted)));

        app.MapGet("/certificates", async (HttpContext http, CertificateInventory inventory, HubOptions options, TimeProvider time, IAntiforgery antiforgery, CancellationToken ct) =>
            AdminLayout.Page(http, "Certificates", CertificatePage.Body(http, antiforgery, await inventory.ListAsync(ct), options, time.GetUtcNow(), null)));
        admin.MapPost("/certificates/upload", (HttpContext http, CertificateUploads uploads) =>
            FormAsync(http, form => uploads.UploadPartnerAsync(form, User(http), Address(http), http.RequestAborted)));
        admin.MapPost("/certificates/hub", (HttpContext http, CertificateUploads uploads) =>
            FormAsync(http, form => uploads.ReplaceHubAsync(form, User(http), Address(http), http.RequestAborted)));
        admin.MapPost("/certificates/{id:long}/remove", (long id, HttpContext http, CertificateUploads uploads) =>
            FormAsync(http, _ => uploads.RemoveAsync(id, User(http), Address(http), http.RequestAborted)));
    }

    private static string User(HttpContext http) => http.User.Identity?.Name ?? "";

    private static string? Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static IResult Answer(CertificateChange change) => change.Done
        ? Results.Json(new { detail = change.Detail, id = change.Stored?.Id, fingerprint = change.Stored?.Fingerprint }, MessagesVerb.Json, statusCode: change.Status)
        : Results.Problem(title: "Certificate change refused", detail: change.Detail, statusCode: change.Status);

    private static async Task<IResult> ApiAsync(HttpContext http, Func<IFormCollection, string, string?, Task<CertificateChange>> change)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Problem(title: "Bad request", detail: "send multipart/form-data with the fields file, partner and uses (and password for a PFX)", statusCode: StatusCodes.Status400BadRequest);
        }
        // A session (not a token) is a browser: it must carry the form's antiforgery token like every form post.
        if (!BearerTokenHandler.HasBearer(http.Request) && await LoginEndpoints.RefusedForgeryAsync(http, http.RequestServices.GetRequiredService<IAntiforgery>()) is { } refused)
        {
            return refused;
        }
        return Answer(await change(await http.Request.ReadFormAsync(http.RequestAborted), User(http), Address(http)));
    }

    private static async Task<IResult> FormAsync(HttpContext http, Func<IFormCollection, Task<CertificateChange>> change)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }
        var result = await change(await http.Request.ReadFormAsync(http.RequestAborted));
        var inventory = http.RequestServices.GetRequiredService<CertificateInventory>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var body = CertificatePage.Body(http, antiforgery, await inventory.ListAsync(http.RequestAborted), http.RequestServices.GetRequiredService<HubOptions>(), now, result);
        return AdminLayout.Page(http, "Certificates", body, statusCode: result.Done ? StatusCodes.Status200OK : result.Status);
    }
}

/// <summary>The body of /certificates: the table (expired and expiring rows marked) and, for admins, the upload forms.</summary>
internal static class CertificatePage
{
    private static string E(string? value) => AdminLayout.E(value);

    public static string Body(HttpContext http, IAntiforgery antiforgery, IReadOnlyList<CertificateEntry> entries, HubOptions options, DateTimeOffset now, CertificateChange? change)
    {
        var isAdmin = http.User.IsInRole(Core.Security.HubRoles.Admin);
        var html = new StringBuilder("<style>tr.expired td{background:#fde0e0}tr.expiring td{background:#fff3cd}td.fp{font-family:monospace;font-size:.75rem;word-break:break-all}</style>");
        if (change is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=outcome class='{(change.Done ? "ok" : "error")}'>{E(change.Detail)}</p>");
        }
        html.Append("<table id=certificates><tr><th>Expires</th><th>State</th><th>Subject</th><th>Issuer</th><th>Valid from</th><th>Partner</th><th>Used for</th><th>SHA-256</th><th></th></tr>");
        foreach (var e in entries)
        {
            var state = e.State(now);
            html.Append(CultureInfo.InvariantCulture, $"<tr class='{state.Replace(' ', '-')}' data-fingerprint='{E(e.Fingerprint)}'><td class=expires>{e.NotAfter:yyyy-MM-dd}</td><td class=state>{E(state)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(e.Subject)}{(e.Error is null ? "" : $"<div class=field-error>{E(e.Error)}</div>")}</td><td>{E(e.Issuer)}</td><td>{e.NotBefore:yyyy-MM-dd}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(e.Partner)}</td><td>{E(e.UsedFor)} ({E(e.Source)})</td><td class=fp>{E(e.Fingerprint)}</td><td>");
            if (isAdmin && e.Id is { } id)
            {
                html.Append(CultureInfo.InvariantCulture, $"<form method=post action='/certificates/{id}/remove'>{LoginEndpoints.TokenField(http, antiforgery)}<button class=remove>Remove</button></form>");
            }
            html.Append("</td></tr>");
        }
        html.Append("</table>");
        if (!isAdmin)
        {
            return html.ToString();
        }
        html.Append("<h2>Pin a partner's certificate</h2><p>PEM, DER or PFX: only the public certificate is kept. Pin the new one beside the old during a rollover; each is accepted while it is valid.</p>")
            .Append("<form id=upload method=post action='/certificates/upload' enctype='multipart/form-data'>").Append(LoginEndpoints.TokenField(http, antiforgery))
            .Append("<label for=partner>Partner</label><select id=partner name=partner>");
        foreach (var partner in options.Partners.Keys.Order(StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<option>{E(partner)}</option>");
        }
        html.Append("</select><label>Uses</label>");
        foreach (var use in new[] { "signature", "as2", "ftps" })
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=checkbox name=uses value={use} id=use-{use}{(use == "signature" ? " checked" : "")}> <span>{use}</span> ");
        }
        html.Append("<label for=file>Certificate file</label><input type=file id=file name=file required>")
            .Append("<label for=password>PFX password (if any)</label><input type=password id=password name=password autocomplete=off>")
            .Append("<p><button id=upload-button>Upload</button></p></form>");
        html.Append("<h2>Replace the hub's signing certificate</h2><p>A PFX with its key; stored encrypted in the data folder and used from the next message, no restart.</p>")
            .Append("<form id=hub-upload method=post action='/certificates/hub' enctype='multipart/form-data'>").Append(LoginEndpoints.TokenField(http, antiforgery))
            .Append("<label for=hub-file>PFX file</label><input type=file id=hub-file name=file required>")
            .Append("<label for=hub-password>Password</label><input type=password id=hub-password name=password autocomplete=off>")
            .Append("<p><button id=hub-upload-button>Replace</button></p></form>");
        return html.ToString();
    }
}
