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
        // limit and offset are read as text: a typed parameter would answer "abc" with an empty 400 the caller cannot act on.
        app.MapGet("/api/messages", async (IMessageQueries store, string? status, string? partner, string? type, string? q, string? limit, string? offset, CancellationToken ct) =>
        {
            var (query, problem) = MessageListRequest.Read(status, partner, type, q, limit, offset);
            return problem ?? Results.Json(await store.FindAsync(query!, ct), MessagesVerb.Json);
        });
        app.MapDocuments();
        app.MapMappings();
        app.MapCertificates();
        app.MapMappingEditor();
        app.MapStatistics();
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
        app.MapGet("/api/stats", async (IMessageQueries store, CancellationToken ct) => Results.Json(await store.CountByStatusAsync(ct), MessagesVerb.Json));
        app.MapGet("/api/partners", (HubOptions options) => Results.Json(options.Partners.Select(p => new
        {
            partner = p.Key,
            name = p.Value.Name,
            p.Value.Country,
            p.Value.Identifiers,
            inbound = p.Value.Inbound?["Type"],
            outbound = p.Value.Outbound?["Type"],
        }), MessagesVerb.Json));
        app.MapGet("/api/routes", (HubOptions options) => Results.Json(options.Routes, MessagesVerb.Json));
        app.MapGet("/", async (IMessageQueries store, HubOptions options, HttpContext http, string? status, string? partner, string? q, CancellationToken ct) =>
        {
            MessageStatus? parsed = Enum.TryParse<MessageStatus>(status, true, out var s) ? s : null;
            var messages = await store.FindAsync(new MessageQuery { Status = parsed, Partner = partner, Text = q, Limit = 200 }, ct);
            var counts = await store.CountByStatusAsync(ct);
            return AdminLayout.Page(http, "Messages", AdminPages.Index(messages, counts, options, status, partner, q));
        });
        app.MapGet("/messages/{id}", async (string id, IMessageQueries store, HttpContext http, CancellationToken ct) =>
        {
            var message = await store.GetAsync(id, ct);
            return message is null
                ? AdminLayout.Page(http, "No such message", $"<p>No message has the id '{AdminLayout.E(id)}'.</p>", statusCode: StatusCodes.Status404NotFound)
                : AdminLayout.Page(http, $"Message {id}", AdminPages.Message(message, await store.GetEventsAsync(id, ct), await store.GetDeliveriesAsync(id, ct)));
        });
    }
}

/// <summary>The bodies of the messages pages (AdminLayout frames them): every value HTML-encoded.</summary>
internal static class AdminPages
{
    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static string Index(IReadOnlyList<MessageRecord> messages, IReadOnlyDictionary<MessageStatus, long> counts, HubOptions options, string? status, string? partner, string? q)
    {
        var html = new StringBuilder();
        html.Append("<p>");
        foreach (var value in Enum.GetValues<MessageStatus>())
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class='stat {value}'><a href='/?status={value}'>{value}</a>: <b id='count-{value}'>{counts.GetValueOrDefault(value)}</b></span>");
        }
        html.Append("</p><form method=get><input name=q placeholder='search id, name, reference' value='").Append(E(q))
            .Append("'> <input name=partner placeholder=partner value='").Append(E(partner))
            .Append("'> <input name=status placeholder=status value='").Append(E(status)).Append("'> <button>Search</button></form>");
        html.Append("<h2>Messages</h2><table id=messages><tr><th>Received</th><th>Status</th><th>From</th><th>Format</th><th>Type</th><th>Sender → Recipient</th><th>File</th><th>Reason</th></tr>");
        foreach (var m in messages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href='/messages/{E(m.Id)}'>{m.ReceivedAt:yyyy-MM-dd HH:mm:ss}</a></td><td class='{m.Status}'>{m.Status}</td><td>{E(m.SourcePartner)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{m.Format}</td><td>{E(m.DocumentType)}</td><td>{E(m.Sender)} → {E(m.Recipient)}</td><td>{E(m.RemoteName)}</td><td>{E(m.Reason)}</td></tr>");
        }
        html.Append("</table><h2>Partners</h2><table id=partners><tr><th>Partner</th><th>Name</th><th>Country</th><th>Identifiers</th><th>Inbound</th><th>Outbound</th></tr>");
        foreach (var (name, p) in options.Partners)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(p.Name)}</td><td>{E(p.Country)}</td><td>{E(string.Join(", ", p.Identifiers))}</td><td>{E(p.Inbound?["Type"])}</td><td>{E(p.Outbound?["Type"])}</td></tr>");
        }
        html.Append("</table><h2>Routes</h2><table id=routes><tr><th>#</th><th>Name</th><th>Match</th><th>To</th><th>Steps</th></tr>");
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var r = options.Routes[i];
            var match = string.Join(", ", new[] { ("sender", r.Sender), ("recipient", r.Recipient), ("type", r.DocumentType), ("country", r.Country), ("from", r.SourcePartner) }
                .Where(c => !string.IsNullOrEmpty(c.Item2)).Select(c => $"{c.Item1}={c.Item2}"));
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{i}</td><td>{E(r.Name)}</td><td>{E(match)}</td><td>{E(string.Join(", ", r.To))}</td><td>{E(string.Join(", ", new RouteMatch("", i, r).Steps))}</td></tr>");
        }
        html.Append("</table>");
        return html.ToString();
    }

    public static string Message(MessageRecord m, IReadOnlyList<MessageEvent> events, IReadOnlyList<DeliveryRecord> deliveries)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p><a href='/'>← messages</a> · <a href='/api/messages/{E(m.Id)}/content'>download the stored bytes</a>{(events.Any(e => e.Kind == Core.Mapping.MappedEvent.Kind) ? $" · <a href='/api/messages/{E(m.Id)}/mapped'>download the mapped payload</a>" : "")}</p><table>");
        foreach (var (k, v) in new[]
                 {
                     ("Status", m.Status.ToString()), ("Reason", m.Reason), ("Received", m.ReceivedAt.ToString("u")), ("From", $"{m.SourcePartner} / {m.SourceChannel}"),
                     ("File", m.RemoteName), ("Format", m.Format.ToString()), ("Document type", m.DocumentType), ("Sender", m.Sender), ("Recipient", m.Recipient),
                     ("Control reference", m.ControlReference), ("Test", m.IsTest ? "yes" : "no"), ("Size", $"{m.Length} bytes"), ("SHA-256", m.BlobHash),
                 })
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{k}</th><td>{E(v)}</td></tr>");
        }
        html.Append("</table><h2>Deliveries</h2><table><tr><th>Partner</th><th>File</th><th>State</th><th>Attempts</th><th>Next attempt</th><th>Last error</th></tr>");
        foreach (var d in deliveries)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(d.Partner)}</td><td>{E(d.FileName)}</td><td>{d.State}</td><td>{d.Attempts}</td><td>{d.NextAttemptAt:u}</td><td>{E(d.LastError)}</td></tr>");
        }
        html.Append("</table><h2>Events</h2><table id=events><tr><th>At</th><th>Event</th><th>Detail</th></tr>");
        foreach (var e in events)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.At:yyyy-MM-dd HH:mm:ss.fff}</td><td>{E(e.Kind)}</td><td>{E(e.Detail)}</td></tr>");
        }
        html.Append("</table>");
        return html.ToString();
    }
}
