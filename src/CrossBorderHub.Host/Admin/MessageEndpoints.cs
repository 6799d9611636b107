using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Cli;
using CrossBorderHub.Storage.Blobs;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The message list of the API (cursor paged, with a total), the payloads of a message (original and every transformed
/// one), and the operator's actions: replay, resend, retry now, and bulk replay of a filtered set after a confirmation.
/// Every action is audited. The page forms post here too, with their antiforgery token.
/// </summary>
internal static class MessageEndpoints
{
    /// <summary>At most this many messages in one bulk replay: a larger set is narrowed by its filters first.</summary>
    public const int MaxBulk = 1000;

    public static async Task<IResult> ListAsync(HttpContext http, IMessageQueries store, MessageListParameters parameters, CancellationToken ct)
    {
        var (query, problem) = MessageListRequest.Read(parameters);
        if (problem is not null)
        {
            return problem;
        }
        var page = await store.FindAsync(query!, ct);
        var total = await store.CountAsync(query!, ct);
        return ApiPaging.List(http, page, total, page.Count == query!.Limit ? MessageCursor.Of(page[^1]).ToString() : null);
    }

    public static void MapMessageActions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/messages/{id}/payloads", async (string id, IMessageQueries store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } message
                ? Results.Json(await MessagePayloads.ListAsync(message, store, ct), MessagesVerb.Json)
                : MessageListRequest.NoSuchMessage(id)).WithTags("Messages").WithSummary("The original and every transformed payload (mapped, delivered/signed) of a message");
        app.MapGet("/api/messages/{id}/payloads/{hash}", async (string id, string hash, IMessageQueries store, IBlobStore blobs, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is not { } message)
            {
                return MessageListRequest.NoSuchMessage(id);
            }
            var payload = (await MessagePayloads.ListAsync(message, store, ct)).FirstOrDefault(p => p.Hash == hash);
            if (payload is null)
            {
                return Results.Problem(title: "No such payload", detail: $"message '{id}' has no payload '{hash}': list them with GET /api/messages/{id}/payloads.", statusCode: StatusCodes.Status404NotFound,
                    extensions: new Dictionary<string, object?> { ["id"] = id, ["hash"] = hash });
            }
            return !blobs.Exists(hash)
                ? Results.Problem(title: "Content missing", detail: $"payload {hash} of message '{id}' is not in the blob store: restore the blob folder from backup.", statusCode: StatusCodes.Status404NotFound)
                : Results.Stream(blobs.OpenRead(hash), "application/octet-stream", payload.FileName);
        }).RequireAuthorization(AdminPolicies.Operator).WithTags("Messages").WithSummary("Download one payload of a message");
        app.MapPost("/api/messages/{id}/resend", (string id, HttpContext http, CancellationToken ct) => ActAsync(http, id, "resend", ct))
            .RequireAuthorization(AdminPolicies.Operator).WithTags("Messages").WithSummary("Send a delivered message again");
        app.MapPost("/api/messages/{id}/retry", (string id, HttpContext http, CancellationToken ct) => ActAsync(http, id, "retry", ct))
            .RequireAuthorization(AdminPolicies.Operator).WithTags("Messages").WithSummary("Try a waiting delivery now, not at the end of its backoff");
        app.MapPost("/api/messages/replay", async (HttpContext http, IMessageQueries store, Replayer replayer, IAuditLog audit, TimeProvider time, string? confirm,
            [AsParameters] MessageListParameters parameters, CancellationToken ct) =>
        {
            var (query, problem) = MessageListRequest.Read(parameters with { Limit = null, Cursor = null, Offset = null });
            if (problem is not null)
            {
                return problem;
            }
            var result = await BulkReplayAsync(http, store, replayer, audit, time, query!, confirm, ct);
            return result.Confirmed ? Results.Json(result, MessagesVerb.Json) : Results.Json(result, MessagesVerb.Json, statusCode: StatusCodes.Status409Conflict);
        }).RequireAuthorization(AdminPolicies.Operator).WithTags("Messages").WithSummary("Replay every message a filter selects; confirm=N must equal the number selected");

        // The page's buttons: the same actions from a form (antiforgery token), answered with the page again.
        app.MapPost("/messages/{id}/{action:regex(^(replay|resend|retry)$)}", async (string id, string action, HttpContext http, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var outcome = await ActAsync(http, id, action, ct);
            var detail = outcome is IValueHttpResult { Value: ActionOutcome done } ? done.Detail : "failed";
            return Results.Redirect($"/messages/{Uri.EscapeDataString(id)}?done={Uri.EscapeDataString($"{action}: {detail}")}");
        }).RequireAuthorization(AdminPolicies.Operator).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/messages/replay", async (HttpContext http, IAntiforgery antiforgery, IMessageQueries store, Replayer replayer, IAuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(ct);
            var parameters = new MessageListParameters(form["status"], form["partner"], form["type"], form["q"], null, null, form["direction"], form["from"], form["to"]);
            var (query, parameter, value, allowed) = MessageListRequest.Parse(parameters);
            if (query is null)
            {
                return AdminLayout.Page(http, "Bulk replay", $"<p class=error id=error>{AdminLayout.E(parameter)} '{AdminLayout.E(value)}' is not valid: use {AdminLayout.E(allowed)}.</p>", statusCode: StatusCodes.Status400BadRequest);
            }
            var result = await BulkReplayAsync(http, store, replayer, audit, time, query, form["confirm"], ct);
            return AdminLayout.Page(http, "Bulk replay", MessagesPage.BulkResult(result, parameters), statusCode: result.Confirmed ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        }).RequireAuthorization(AdminPolicies.Operator).DisableAntiforgery().ExcludeFromDescription();
    }

    public sealed record ActionOutcome(string Detail);

    public sealed record BulkOutcome(bool Confirmed, long Matched, int Replayed, IReadOnlyList<string> Refused, string Detail);

    private static async Task<IResult> ActAsync(HttpContext http, string id, string action, CancellationToken ct)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<IMessageQueries>();
        if (await store.GetAsync(id, ct) is null)
        {
            return MessageListRequest.NoSuchMessage(id);
        }
        var user = http.User.Identity?.Name ?? "";
        var origin = $"{user} through the admin web";
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (done, detail) = action switch
        {
            "replay" => await services.GetRequiredService<Replayer>().ReplayAsync(id, origin, ct) is var r ? (r.Replayed, r.Detail) : default,
            "resend" => await services.GetRequiredService<IDeliveryActions>().ResendAsync(id, origin, now, ct) is var n and > 0
                ? (true, $"{n} deliveries queued again") : (false, $"message '{id}' has no delivered delivery to send again (only Delivered or Acknowledged messages can be resent)"),
            _ => await services.GetRequiredService<IDeliveryActions>().RetryNowAsync(id, origin, now, ct) is var w and > 0
                ? (true, $"{w} waiting deliveries are due now") : (false, $"message '{id}' has no delivery waiting for a retry"),
        };
        await services.GetRequiredService<IAuditLog>().AddAsync(now, user, http.Connection.RemoteIpAddress?.ToString(), action, $"message {id}: {detail}", ct);
        if (done)
        {
            services.GetRequiredService<DeliverySignal>().Notify();
        }
        return done ? Results.Json(new ActionOutcome(detail)) : Results.Json(new ActionOutcome(detail), statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<BulkOutcome> BulkReplayAsync(HttpContext http, IMessageQueries store, Replayer replayer, IAuditLog audit, TimeProvider time, MessageQuery query,
        string? confirm, CancellationToken ct)
    {
        var matched = await store.CountAsync(query, ct);
        if (matched > MaxBulk)
        {
            return new BulkOutcome(false, matched, 0, [], $"{matched} messages match: narrow the filters to at most {MaxBulk} before replaying them");
        }
        if (confirm != matched.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            // The count the operator confirmed must still be the count selected: a filter that now selects more is asked again.
            return new BulkOutcome(false, matched, 0, [], $"{matched} messages match: confirm={matched} replays them");
        }
        var user = http.User.Identity?.Name ?? "";
        var replayed = 0;
        var refused = new List<string>();
        foreach (var message in await store.FindAsync(query with { Limit = MaxBulk, Offset = 0, Before = null }, ct))
        {
            var result = await replayer.ReplayAsync(message.Id, $"{user} (bulk replay)", ct);
            if (result.Replayed)
            {
                replayed++;
            }
            else
            {
                refused.Add($"{message.Id}: {result.Detail}");
            }
        }
        var detail = $"{replayed} of {matched} messages replayed" + (refused.Count > 0 ? $", {refused.Count} refused (not DeadLettered or Rejected)" : "");
        await audit.AddAsync(time.GetUtcNow(), user, http.Connection.RemoteIpAddress?.ToString(), "bulk-replay", $"{detail}; filter {Describe(query)}", ct);
        http.RequestServices.GetRequiredService<DeliverySignal>().Notify();
        return new BulkOutcome(true, matched, replayed, refused, detail);
    }

    private static string Describe(MessageQuery q) =>
        string.Join(", ", new[] { ("status", q.Status?.ToString()), ("partner", q.Partner), ("type", q.DocumentType), ("q", q.Text), ("direction", q.Direction?.ToString()),
            ("from", q.From?.ToString("u")), ("to", q.To?.ToString("u")) }.Where(f => f.Item2 is not null).Select(f => $"{f.Item1}={f.Item2}"));
}

/// <summary>One stored payload of a message: the bytes received, the mapping's output, each delivery's bytes (mapped and/or signed).</summary>
internal sealed record MessagePayload(string Kind, string Hash, string FileName, string Description);

internal static class MessagePayloads
{
    public static async Task<IReadOnlyList<MessagePayload>> ListAsync(MessageRecord message, IMessageQueries store, CancellationToken ct)
    {
        var payloads = new List<MessagePayload> { new("original", message.BlobHash, message.RemoteName, $"as received, {message.Length} bytes") };
        foreach (var mapped in (await store.GetEventsAsync(message.Id, ct)).Where(e => e.Kind == Core.Mapping.MappedEvent.Kind))
        {
            if (Core.Mapping.MappedEvent.OutputHash(mapped.Detail) is { } hash && payloads.All(p => p.Hash != hash))
            {
                payloads.Add(new MessagePayload("mapped", hash, "mapped-" + message.RemoteName, mapped.Detail));
            }
        }
        foreach (var delivery in await store.GetDeliveriesAsync(message.Id, ct))
        {
            if (payloads.All(p => p.Hash != delivery.BlobHash))
            {
                payloads.Add(new MessagePayload("delivered", delivery.BlobHash, delivery.FileName, $"as sent to {delivery.Partner} (route {delivery.Route}): mapped and/or signed as the route says"));
            }
        }
        return payloads;
    }
}
