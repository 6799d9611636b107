using System.Globalization;
using System.Net;
using System.Text;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Routing;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Alerts;
using CrossBorderHub.Host.Cli;
using CrossBorderHub.Host.Workers;
using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The admin web (HTML pages) and its REST API. Bound to Hub:Admin:Url, loopback by default. Every route needs a
/// session or an API token with the viewer level at least (AdminPolicies), but /login, /health and /metrics.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication root, Uri adminUrl)
    {
        // Every admin route: only for the admin URL's port (RequireHost) and only on that listener (the filter).
        var port = root.MapGroup("").RequireHost($"*:{adminUrl.Port}").OnlyOnAdminPort(adminUrl.Port);
        // The authenticity lookup is the one route the least-privilege verifier role may call (a viewer may too).
        port.MapStaticAssets();
        port.MapDocumentVerify().RequireAuthorization(AdminPolicies.Verifier);
        var app = port.MapGroup("").RequireAuthorization(AdminPolicies.Viewer);
        app.MapLogin();
        // A full data disk pauses intake: health says so (503) so a monitor alerts, and returns to "ok" by itself.
        // So does an unreachable store (database stopped or restarting): the hub keeps running and retries by itself.
        app.MapGet("/health", (IntakePause pause, StoreOutage outage) => outage.DownSince is { } down
            ? Results.Text($"degraded: message store unreachable since {down:O} ({outage.Reason})", statusCode: 503)
            : pause.FullSince is { } since
            ? Results.Text($"degraded: intake paused, data disk full since {since:O} ({pause.Reason})", statusCode: 503)
            : Results.Text("ok")).AllowAnonymous();
        // Query values are read as text: a typed parameter would answer "abc" with an empty 400 the caller cannot act on.
        app.MapGet("/api/messages", (HttpContext http, IMessageQueries store, [AsParameters] MessageListParameters parameters, CancellationToken ct) =>
            MessageEndpoints.ListAsync(http, store, parameters, ct)).WithTags("Messages").WithSummary("Messages, newest first; cursor paged (X-Total-Count, X-Next-Cursor, Link)");
        app.MapMessageActions();
        app.MapDocuments();
        app.MapMappings();
        app.MapCertificates();
        app.MapMappingEditor();
        app.MapStatistics();
        app.MapDocumentPages();
        app.MapStatisticsPage();
        app.MapGet("/api/messages/{id}", async (string id, IMessageQueries store, CancellationToken ct) =>
        {
            var message = await store.GetAsync(id, ct);
            return message is null
                ? MessageListRequest.NoSuchMessage(id)
                : Results.Json(new { message, events = await store.GetEventsAsync(id, ct), deliveries = await store.GetDeliveriesAsync(id, ct) }, MessagesVerb.Json);
        });
        app.MapGet("/api/messages/{id}/content", async (string id, IMessageQueries store, IBlobStore blobs, CancellationToken ct) =>
        {
            var message = await store.GetAsync(id, ct);
            if (message is null)
            {
                return MessageListRequest.NoSuchMessage(id);
            }
            return !blobs.Exists(message.BlobHash)
                ? Results.Problem(title: "Content missing", detail: $"message '{id}' exists but its stored bytes ({message.BlobHash}) are not in the blob store: restore the blob folder from backup.", statusCode: StatusCodes.Status404NotFound)
                : Results.Stream(blobs.OpenRead(message.BlobHash), "application/octet-stream", message.RemoteName);
        }).RequireAuthorization(AdminPolicies.Operator);
        app.MapPost("/api/messages/{id}/replay", async (string id, Replayer replayer, IMessageQueries store, IAuditLog audit, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is null)
            {
                return MessageListRequest.NoSuchMessage(id);
            }
            var user = http.User.Identity?.Name ?? "";
            var result = await replayer.ReplayAsync(id, $"{user} through the admin API", ct);
            await audit.AddAsync(time.GetUtcNow(), user, http.Connection.RemoteIpAddress?.ToString(), "replay", $"message {id}: {result.Detail}", ct);
            return result.Replayed ? Results.Json(new { result.Detail }) : Results.Conflict(new { error = result.Detail });
        }).RequireAuthorization(AdminPolicies.Operator);
        app.MapAudit();
        app.MapConfiguration(); // /api/config, /config, and the /partners, /routes, /users pages (ConfigurationEndpoints.cs)
        app.MapAlerts();
        app.MapHubOpenApi();
        app.MapGet("/api/stats", async (IMessageQueries store, CancellationToken ct) => Results.Json(await store.CountByStatusAsync(ct), MessagesVerb.Json));
        app.MapGet("/api/partners", (HubOptions options, HttpContext http, string? cursor, string? limit) => ApiPaging.InMemory(http, options.Partners.Select(p => new
        {
            partner = p.Key,
            name = p.Value.Name,
            p.Value.Country,
            p.Value.Identifiers,
            inbound = p.Value.Inbound?["Type"],
            outbound = p.Value.Outbound?["Type"],
        }).ToList(), cursor, limit));
        app.MapGet("/api/routes", (HubOptions options, HttpContext http, string? cursor, string? limit) => ApiPaging.InMemory(http, options.Routes, cursor, limit));
        app.MapGet("/", (HttpContext http, IMessageQueries store, Core.Alerts.IAlertStore alerts, HubOptions options, [AsParameters] MessageListParameters parameters, CancellationToken ct) =>
            MessagesPage.IndexAsync(http, store, alerts, options, parameters, ct)).ExcludeFromDescription();
        app.MapGet("/messages/replay", (HttpContext http, IMessageQueries store, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, [AsParameters] MessageListParameters parameters, CancellationToken ct) =>
            MessagesPage.ConfirmBulkAsync(http, store, antiforgery, parameters, ct)).RequireAuthorization(AdminPolicies.Operator).ExcludeFromDescription();
        app.MapGet("/messages/{id}", (string id, IMessageQueries store, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, HttpContext http, string? done, CancellationToken ct) =>
            MessagePage.ShowAsync(http, id, store, antiforgery, done, ct)).ExcludeFromDescription();
    }
}
