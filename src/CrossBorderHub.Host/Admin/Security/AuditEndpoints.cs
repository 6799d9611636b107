using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Host.Cli;
using Microsoft.AspNetCore.Mvc;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>The raw query of an audit search (API and page).</summary>
internal sealed record AuditParameters([FromQuery(Name = "user")] string? User = null, [FromQuery(Name = "action")] string? Action = null, [FromQuery(Name = "q")] string? Q = null, [FromQuery(Name = "from")] string? From = null, [FromQuery(Name = "to")] string? To = null, [FromQuery(Name = "before")] string? Before = null,
    [FromQuery(Name = "cursor")] string? Cursor = null, [FromQuery(Name = "limit")] string? Limit = null);

/// <summary>
/// GET /api/audit and the /audit page (admin): the audit trail, newest first, searchable by user, action, text and
/// date range, paged with a cursor (the last id). There is no way to delete from it, on the web or the API.
/// </summary>
internal static class AuditEndpoints
{
    private const int MaxLimit = 500;

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (IAuditSearch audit, HttpContext http, [AsParameters] AuditParameters parameters, CancellationToken ct) =>
        {
            var (query, problem) = Read(parameters, 50);
            if (problem is not null)
            {
                return problem;
            }
            var events = await audit.SearchAsync(query!, ct);
            var total = await audit.CountAsync(query!, ct);
            // A full page may have more after it: its last id is the cursor of the next page.
            var next = events.Count == query!.Limit ? events[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
            http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
            if (next is not null)
            {
                http.Response.Headers["X-Next-Cursor"] = next;
            }
            return Results.Json(new { total, events, next }, MessagesVerb.Json);
        }).RequireAuthorization(AdminPolicies.Admin).WithTags("Audit").WithSummary("The audit trail, newest first; search by user, action, q, from, to; page with cursor");
        app.MapGet("/audit", async (IAuditSearch audit, HttpContext http, [AsParameters] AuditParameters parameters, CancellationToken ct) =>
        {
            var (query, problem) = Read(parameters, 50);
            var html = new StringBuilder(await FormAsync(audit, parameters, ct));
            if (query is null)
            {
                var detail = problem is IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails p } ? p.Detail : "invalid search";
                return AdminLayout.Page(http, "Audit", html.Append(CultureInfo.InvariantCulture, $"<p class=error id=error>{AdminLayout.E(detail)}</p>").ToString(), statusCode: StatusCodes.Status400BadRequest);
            }
            var events = await audit.SearchAsync(query, ct);
            html.Append(CultureInfo.InvariantCulture, $"<p><span id=total>{await audit.CountAsync(query, ct)}</span> events match. The audit trail cannot be changed or deleted.</p>");
            html.Append("<table id=audit><tr><th>At</th><th>User</th><th>Address</th><th>Action</th><th>What</th></tr>");
            foreach (var e in events)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.At:yyyy-MM-dd HH:mm:ss}</td><td>{AdminLayout.E(e.User)}</td><td>{AdminLayout.E(e.RemoteAddress)}</td><td>{AdminLayout.E(e.Action)}</td><td>{AdminLayout.E(e.Detail)}</td></tr>");
            }
            html.Append("</table>");
            if (events.Count == query.Limit)
            {
                var next = parameters with { Before = null, Cursor = events[^1].Id.ToString(CultureInfo.InvariantCulture) };
                var link = string.Join('&', new[] { ("user", next.User), ("action", next.Action), ("q", next.Q), ("from", next.From), ("to", next.To), ("limit", next.Limit), ("cursor", next.Cursor) }
                    .Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => $"{f.Item1}={Uri.EscapeDataString(f.Item2!)}"));
                html.Append(CultureInfo.InvariantCulture, $"<p><a id=next href='/audit?{link}'>Older →</a></p>");
            }
            return AdminLayout.Page(http, "Audit", html.ToString());
        }).RequireAuthorization(AdminPolicies.Admin).ExcludeFromDescription();
    }

    private static async Task<string> FormAsync(IAuditSearch audit, AuditParameters p, CancellationToken ct)
    {
        var actions = await audit.ActionsAsync(ct);
        return "<form method=get id=filters>" +
               $"<input name=user placeholder=user value='{AdminLayout.E(p.User)}'> <select name=action id=filter-action><option value=''>any action</option>" +
               string.Concat(actions.Select(a => $"<option{(a == p.Action ? " selected" : "")}>{AdminLayout.E(a)}</option>")) + "</select> " +
               $"<input name=q placeholder='text in what, address' value='{AdminLayout.E(p.Q)}'> " +
               $"<label style='display:inline'>from <input name=from type=date value='{AdminLayout.E(p.From)}'></label> <label style='display:inline'>to <input name=to type=date value='{AdminLayout.E(p.To)}'></label> <button>Search</button></form>";
    }

    private static (AuditQuery? Query, IResult? Problem) Read(AuditParameters p, int fallback)
    {
        long? cursor = null;
        // 'before' is the cursor's older name (kept for existing callers); 'cursor' is the name every list endpoint uses.
        if ((p.Cursor ?? p.Before) is { Length: > 0 } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, ApiPaging.BadQuery(p.Cursor is null ? "before" : "cursor", text, "the 'next' value of the previous page (a positive number)"));
            }
            cursor = parsed;
        }
        var size = fallback;
        if (p.Limit is not null && (!int.TryParse(p.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            return (null, ApiPaging.BadQuery("limit", p.Limit, $"a whole number from 1 to {MaxLimit}"));
        }
        if (!MessageListRequest.TryTime(p.From, out var from))
        {
            return (null, ApiPaging.BadQuery("from", p.From!, "a date (2024-01-31) or a UTC time (2024-01-31T08:00:00Z)"));
        }
        if (!MessageListRequest.TryTime(p.To, out var to, endOfDay: true))
        {
            return (null, ApiPaging.BadQuery("to", p.To!, "a date (2024-01-31, counted to its end) or a UTC time (2024-01-31T08:00:00Z)"));
        }
        static string? Empty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        return (new AuditQuery(Empty(p.User), Empty(p.Action), Empty(p.Q), from, to, cursor, size), null);
    }
}
