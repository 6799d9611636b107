using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Alerts;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Routing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Alerts;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>The bodies of the messages pages (AdminLayout frames them): every value HTML-encoded.</summary>
internal static class MessagesPage
{
    private const int PageSize = 50;

    private static string E(string? value) => AdminLayout.E(value);

    public static async Task<IResult> IndexAsync(HttpContext http, IMessageQueries store, IAlertStore alerts, HubOptions options, MessageListParameters parameters, CancellationToken ct)
    {
        var (query, parameter, value, allowed) = MessageListRequest.Parse(parameters with { Limit = parameters.Limit ?? PageSize.ToString(CultureInfo.InvariantCulture) });
        var html = new StringBuilder(AlertEndpoints.Banner(await alerts.OpenAsync(ct)));
        var counts = await store.CountByStatusAsync(ct);
        html.Append("<p>");
        foreach (var status in Enum.GetValues<MessageStatus>())
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class='stat {status}'><a href='/?status={status}'>{status}</a>: <b id='count-{status}'>{counts.GetValueOrDefault(status)}</b></span>");
        }
        html.Append("</p>").Append(Filters(parameters));
        if (query is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=error id=error>{E(parameter)} '{E(value)}' is not valid: use {E(allowed)}.</p>");
            return AdminLayout.Page(http, "Messages", html.ToString(), statusCode: StatusCodes.Status400BadRequest);
        }
        var messages = await store.FindAsync(query, ct);
        var total = await store.CountAsync(query, ct);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Messages</h2><p><span id=total>{total}</span> match.");
        if (AdminPolicies.Roles[AdminPolicies.Operator].Any(http.User.IsInRole) && (query.Status is MessageStatus.DeadLettered or MessageStatus.Rejected) && total > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $" <a id=bulk-replay href='/messages/replay?{Query(parameters with { Cursor = null, Limit = null })}'>Replay these {total}…</a>");
        }
        html.Append("</p><table id=messages><tr><th>Received</th><th>Status</th><th>From</th><th>Format</th><th>Type</th><th>Sender → Recipient</th><th>File</th><th>Reason</th></tr>");
        foreach (var m in messages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href='/messages/{E(m.Id)}'>{m.ReceivedAt:yyyy-MM-dd HH:mm:ss}</a></td><td class='{m.Status}'>{m.Status}</td><td>{E(m.SourcePartner)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{m.Format}</td><td>{E(m.DocumentType)}</td><td>{E(m.Sender)} → {E(m.Recipient)}</td><td>{E(m.RemoteName)}</td><td>{E(m.Reason)}</td></tr>");
        }
        html.Append("</table>");
        if (messages.Count == query.Limit)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a id=next href='/?{Query(parameters with { Cursor = MessageCursor.Of(messages[^1]).ToString() })}'>Next page →</a></p>");
        }
        html.Append(Configured(options));
        return AdminLayout.Page(http, "Messages", html.ToString());
    }

    private static string Filters(MessageListParameters p)
    {
        string Select(string name, IEnumerable<string> values, string? current) =>
            $"<select name={name} id=filter-{name}><option value=''>any {name}</option>" +
            string.Concat(values.Select(v => $"<option{(string.Equals(v, current, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(v)}</option>")) + "</select> ";
        return "<form method=get id=filters>" +
               $"<input name=q placeholder='search id, name, reference' value='{E(p.Q)}'> <input name=partner placeholder=partner value='{E(p.Partner)}'> " +
               $"<input name=type placeholder='type (CUSDEC)' value='{E(p.Type)}'> " + Select("status", Enum.GetNames<MessageStatus>(), p.Status) + Select("direction", Enum.GetNames<MessageDirection>(), p.Direction) +
               $"<label style='display:inline'>from <input name=from type=date value='{E(p.From)}'></label> <label style='display:inline'>to <input name=to type=date value='{E(p.To)}'></label> <button>Search</button></form>";
    }

    public static string Query(MessageListParameters p) =>
        string.Join('&', new[] { ("status", p.Status), ("partner", p.Partner), ("type", p.Type), ("q", p.Q), ("direction", p.Direction), ("from", p.From), ("to", p.To), ("limit", p.Limit), ("cursor", p.Cursor) }
            .Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => $"{f.Item1}={Uri.EscapeDataString(f.Item2!)}"));

    /// <summary>GET /messages/replay: what a bulk replay would take, and the form that confirms that count.</summary>
    public static async Task<IResult> ConfirmBulkAsync(HttpContext http, IMessageQueries store, IAntiforgery antiforgery, MessageListParameters parameters, CancellationToken ct)
    {
        var (query, parameter, value, allowed) = MessageListRequest.Parse(parameters with { Limit = null, Cursor = null, Offset = null });
        if (query is null)
        {
            return AdminLayout.Page(http, "Bulk replay", $"<p class=error id=error>{E(parameter)} '{E(value)}' is not valid: use {E(allowed)}.</p>", statusCode: StatusCodes.Status400BadRequest);
        }
        var matched = await store.CountAsync(query, ct);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p id=bulk-count>{matched} messages match {E(Query(parameters with { Limit = null, Cursor = null }))}. Only DeadLettered and Rejected ones are replayed.</p>");
        if (matched > MessageEndpoints.MaxBulk)
        {
            return AdminLayout.Page(http, "Bulk replay", html.Append(CultureInfo.InvariantCulture, $"<p class=error>Narrow the filters to at most {MessageEndpoints.MaxBulk} messages.</p>").ToString());
        }
        html.Append("<form method=post action='/messages/replay'>").Append(LoginEndpoints.TokenField(http, antiforgery));
        foreach (var (name, v) in new[] { ("status", parameters.Status), ("partner", parameters.Partner), ("type", parameters.Type), ("q", parameters.Q), ("direction", parameters.Direction), ("from", parameters.From), ("to", parameters.To) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=hidden name={name} value='{E(v)}'>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<input type=hidden name=confirm value='{matched}'><button id=confirm-replay>Replay {matched} messages</button> <a href='/?{Query(parameters with { Cursor = null, Limit = null })}'>cancel</a></form>");
        return AdminLayout.Page(http, "Bulk replay", html.ToString());
    }

    public static string BulkResult(MessageEndpoints.BulkOutcome result, MessageListParameters parameters) =>
        $"<p id=bulk-result class={(result.Confirmed ? "ok" : "error")}>{E(result.Detail)}</p>" +
        (result.Refused.Count > 0 ? "<ul>" + string.Concat(result.Refused.Take(50).Select(r => $"<li>{E(r)}</li>")) + "</ul>" : "") +
        $"<p><a href='/?{Query(parameters)}'>← messages</a></p>";

    private static string Configured(HubOptions options)
    {
        var html = new StringBuilder("<h2>Partners</h2><table id=partners><tr><th>Partner</th><th>Name</th><th>Country</th><th>Identifiers</th><th>Inbound</th><th>Outbound</th></tr>");
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
        return html.Append("</table>").ToString();
    }
}
