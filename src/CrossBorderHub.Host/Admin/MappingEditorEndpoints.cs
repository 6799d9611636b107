using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Cli;
using CrossBorderHub.Host.Mappings;
using CrossBorderHub.Storage.Blobs;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /mappings (the list) and /mappings/{name} (the editor), with the API the editor's script calls: the source, a trial
/// run against a sample or a stored message, and save (a new version, written only when it loads). A browser session
/// sends the page's antiforgery token as a header; an API token does not need one.
/// </summary>
internal static class MappingEditorEndpoints
{
    public sealed record RunRequest(string? Rules, string? Sample, string? MessageId);

    public sealed record SaveRequest(string? Rules, string? Version);

    public static void MapMappingEditor(this IEndpointRouteBuilder app)
    {
        app.MapGet("/mappings", (HttpContext http, MappingRegistry mappings) =>
        {
            mappings.ReloadIfChanged();
            return AdminLayout.Page(http, "Mappings", MappingPages.List(mappings.Entries, http.User.IsInRole(HubRoles.Admin)));
        });
        app.MapGet("/mappings/{name}", (string name, HttpContext http, MappingWorkbench workbench, MappingRegistry mappings, IAntiforgery antiforgery) =>
            workbench.Read(name) is { } source
                ? AdminLayout.Page(http, $"Mapping {name}", MappingPages.Editor(source, mappings.Find(name), LoginEndpoints.TokenField(http, antiforgery), http.User.IsInRole(HubRoles.Admin)),
                    [AdminLayout.Scripts.CodeMirrorCss, AdminLayout.Scripts.CodeMirror, AdminLayout.Scripts.CodeMirrorJson, AdminLayout.Scripts.CodeMirrorXml, "/static/js/mappings.js"])
                : AdminLayout.Page(http, "No such mapping", $"<p>No mapping folder is named '{AdminLayout.E(name)}'. <a href='/mappings'>All mappings</a></p>", statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/api/mappings/{name}", (string name, MappingWorkbench workbench) =>
            workbench.Read(name) is { } source ? Results.Json(source, MessagesVerb.Json) : NoSuchMapping(name));

        var admin = app.MapGroup("").RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
        admin.MapPost("/api/mappings/{name}/run", async (string name, RunRequest request, HttpContext http, MappingWorkbench workbench, IMessageQueries store, IBlobStore blobs, CancellationToken ct) =>
        {
            if (await ForgedAsync(http) is { } refused)
            {
                return refused;
            }
            if (workbench.Read(name) is not { } source)
            {
                return NoSuchMapping(name);
            }
            byte[] sample;
            if (!string.IsNullOrWhiteSpace(request.MessageId))
            {
                var message = await store.GetAsync(request.MessageId.Trim(), ct);
                if (message is null || !blobs.Exists(message.BlobHash))
                {
                    return Results.Problem(title: "No such message", detail: $"message '{request.MessageId}' is not in the store (or its bytes are not in the blob store): copy an id from the messages page", statusCode: StatusCodes.Status404NotFound);
                }
                await using var stream = blobs.OpenRead(message.BlobHash);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                sample = buffer.ToArray();
            }
            else if (!string.IsNullOrEmpty(request.Sample))
            {
                sample = Encoding.UTF8.GetBytes(request.Sample);
            }
            else
            {
                return Results.Problem(title: "Bad request", detail: "give a sample (the document's text) or messageId (a stored message) to run the mapping on", statusCode: StatusCodes.Status400BadRequest);
            }
            var run = await workbench.RunAsync(source, request.Rules, sample, ct);
            return Results.Json(new
            {
                errors = run.Errors,
                output = run.Output,
                mappingFindings = run.MappingFindings,
                validation = run.Validation.Select(f => new { severity = f.Severity.ToString(), f.Code, f.Message, f.Location }),
            }, MessagesVerb.Json);
        });
        admin.MapPut("/api/mappings/{name}", async (string name, SaveRequest request, HttpContext http, MappingWorkbench workbench, IAuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            if (await ForgedAsync(http) is { } refused)
            {
                return refused;
            }
            if (workbench.Read(name) is not { } source)
            {
                return NoSuchMapping(name);
            }
            if (request.Rules is null)
            {
                return Results.Problem(title: "Bad request", detail: "give rules (the whole text of the rules file) and version (the new version)", statusCode: StatusCodes.Status400BadRequest);
            }
            var (errors, saved) = await workbench.SaveAsync(source, request.Rules, request.Version ?? MappingWorkbench.NextVersion(source.Version));
            if (errors.Count > 0 || saved?.Mapping is not { } mapping)
            {
                return Results.Json(new { title = "The edit does not load; nothing was saved", status = 422, errors }, MessagesVerb.Json, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
            var d = mapping.Descriptor;
            var user = http.User.Identity?.Name ?? "";
            await audit.AddAsync(time.GetUtcNow(), user, http.Connection.RemoteIpAddress?.ToString(), "mapping-save",
                $"mapping {name}: version {source.Version} -> {d.Version} (sha256 {d.ContentHash}), {source.RulesFile} edited in the browser", ct);
            return Results.Json(new { name, version = d.Version, contentHash = d.ContentHash, state = saved.State }, MessagesVerb.Json);
        });
    }

    private static IResult NoSuchMapping(string name) =>
        Results.Problem(title: "No such mapping", detail: $"no mapping folder is named '{name}': GET /api/mappings lists them", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult?> ForgedAsync(HttpContext http) =>
        BearerTokenHandler.HasBearer(http.Request) ? null : await LoginEndpoints.RefusedForgeryAsync(http, http.RequestServices.GetRequiredService<IAntiforgery>());
}

/// <summary>The bodies of the mapping pages; the editor's behaviour is in wwwroot/js/mappings.js.</summary>
internal static class MappingPages
{
    private static string E(string? value) => AdminLayout.E(value);

    private static string End(MappingEnd? end) => end is null ? "" : $"{end.Format}{(end.Standard is null ? "" : " " + end.Standard)}";

    public static string List(IReadOnlyList<MappingEntry> entries, bool isAdmin)
    {
        var html = new StringBuilder("<table id=mappings><tr><th>Name</th><th>Version</th><th>Source → target</th><th>State</th><th>Last error</th></tr>");
        foreach (var e in entries)
        {
            var d = e.Mapping?.Descriptor;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-name='{E(e.Name)}'><td><a href='/mappings/{Uri.EscapeDataString(e.Name)}'>{E(e.Name)}</a></td><td class=version>{E(d?.Version)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(End(d?.Source))} → {E(End(d?.Target))}</td><td class='state {(e.Loaded ? "ok" : "error")}'>{E(e.State)}</td><td class=error>{E(e.Errors.Count > 0 ? e.Errors[0].ToString() : "")}</td></tr>");
        }
        html.Append("</table>").Append(isAdmin ? "<p>Open a mapping to edit it; a save is a new version, written only when it loads.</p>" : "");
        return html.ToString();
    }

    public static string Editor(MappingSource source, MappingEntry? entry, string tokenField, bool isAdmin)
    {
        var mode = source.RulesFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "xml";
        var html = new StringBuilder("<style>.editor-grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.CodeMirror{border:1px solid #ccc;height:28rem}" +
            ".mapping-error{color:#b00020;background:#fde0e0;font-size:.85rem;padding:.1rem .4rem}.line-error{background:#fde0e0}#output{max-height:20rem}</style>");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href='/mappings'>← mappings</a> · {E(source.Kind)} · {E(End(source.Source))} → {E(End(source.Target))} · in force: version <b id=current-version>{E(entry?.Mapping?.Descriptor.Version)}</b> ({E(entry?.State)})</p>");
        html.Append(CultureInfo.InvariantCulture, $"<div id=editor-root data-name='{E(source.Name)}' data-mode='{mode}' data-file='{E(source.RulesFile)}'>{tokenField}");
        html.Append(CultureInfo.InvariantCulture, $"<label for=rules>{E(source.RulesFile)}</label><textarea id=rules name=rules rows=30 cols=100>{E(source.Rules)}</textarea>");
        html.Append("<ul id=load-errors></ul>");
        if (isAdmin)
        {
            html.Append("<div class=editor-grid><div><h2>Run</h2><label for=sample-file>Sample file</label><input type=file id=sample-file>")
                .Append("<label for=sample>or its text</label><textarea id=sample rows=6 cols=60></textarea>")
                .Append("<label for=message-id>or a stored message id</label><input id=message-id size=40>")
                .Append("<p><button type=button id=run>Run</button></p></div>")
                .Append(CultureInfo.InvariantCulture, $"<div><h2>Save</h2><label for=version>New version</label><input id=version value='{E(MappingWorkbench.NextVersion(source.Version))}'>")
                .Append("<p><button type=button id=save>Save as new version</button></p><p id=save-result></p></div></div>")
                .Append("<div class=editor-grid><div><h2>Output</h2><pre id=output></pre></div><div><h2>Findings</h2><ul id=findings></ul></div></div>");
        }
        html.Append("</div>");
        return html.ToString();
    }
}
