using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>One message: its fields, payloads (operator), the messages it answers or that answer it, deliveries, events and the action buttons.</summary>
internal static class MessagePage
{
    private static string E(string? value) => AdminLayout.E(value);

    public static async Task<IResult> ShowAsync(HttpContext http, string id, IMessageQueries store, IAntiforgery antiforgery, string? done, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } m)
        {
            return AdminLayout.Page(http, "No such message", $"<p>No message has the id '{E(id)}'.</p>", statusCode: StatusCodes.Status404NotFound);
        }
        var operatorRole = AdminPolicies.Roles[AdminPolicies.Operator].Any(http.User.IsInRole);
        var html = new StringBuilder("<p><a href='/'>← messages</a></p>");
        if (done is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=done class=ok>{E(done)}</p>");
        }
        if (operatorRole)
        {
            html.Append("<p id=actions>");
            foreach (var (action, label, allowed) in new[]
                     {
                         ("replay", "Replay", m.Status is MessageStatus.DeadLettered or MessageStatus.Rejected),
                         ("resend", "Resend", m.Status is MessageStatus.Delivered or MessageStatus.Acknowledged),
                         ("retry", "Retry now", m.Status is MessageStatus.Routed),
                     }.Where(a => a.Item3))
            {
                html.Append(CultureInfo.InvariantCulture, $"<form method=post action='/messages/{E(m.Id)}/{action}' style='display:inline'>{LoginEndpoints.TokenField(http, antiforgery)}<button id={action}>{label}</button></form> ");
            }
            html.Append("</p>");
        }
        html.Append("<h2>Payloads</h2><table id=payloads><tr><th>Kind</th><th>File</th><th>SHA-256</th><th>What</th></tr>");
        foreach (var p in await MessagePayloads.ListAsync(m, store, ct))
        {
            var link = operatorRole ? $"<a href='/api/messages/{E(m.Id)}/payloads/{E(p.Hash)}'>{E(p.FileName)}</a>" : E(p.FileName);
            html.Append(CultureInfo.InvariantCulture, $"<tr class='payload-{E(p.Kind)}'><td>{E(p.Kind)}</td><td>{link}</td><td><code>{E(p.Hash)}</code></td><td>{E(p.Description)}</td></tr>");
        }
        html.Append("</table>").Append(operatorRole ? "" : "<p>Payload bytes are for operators.</p>");
        html.Append(await RelatedAsync(m, store, ct));
        html.Append(AdminPages.Message(m, await store.GetEventsAsync(m.Id, ct), await store.GetDeliveriesAsync(m.Id, ct)));
        return AdminLayout.Page(http, $"Message {id}", html.ToString());
    }

    /// <summary>Links both ways: the message this one answers (or was split from), and its acknowledgements (CONTRL, APERAK, MDN) and parts.</summary>
    private static async Task<string> RelatedAsync(MessageRecord m, IMessageQueries store, CancellationToken ct)
    {
        var html = new StringBuilder("<h2>Related</h2><ul id=related>");
        if (m.RelatedMessageId is { } original)
        {
            var answered = await store.GetAsync(original, ct);
            html.Append(CultureInfo.InvariantCulture, $"<li>Answers <a class=answers href='/messages/{E(original)}'>{E(answered?.RemoteName ?? original)}</a> {E(answered?.DocumentType)}</li>");
        }
        var related = await store.GetRelatedAsync(m.Id, ct);
        foreach (var r in related)
        {
            var kind = r.SourceChannel.StartsWith("split:", StringComparison.Ordinal) ? "Part" : "Acknowledgement";
            html.Append(CultureInfo.InvariantCulture, $"<li>{kind}: <a class=acknowledgement href='/messages/{E(r.Id)}'>{E(r.DocumentType ?? r.RemoteName)}</a> ({E(r.SourcePartner)}, {r.Status}, {r.ReceivedAt:u})</li>");
        }
        if (m.RelatedMessageId is null && related.Count == 0)
        {
            html.Append("<li>none</li>");
        }
        return html.Append("</ul>").ToString();
    }
}

/// <summary>The fields, deliveries and events of a message page: pure rendering, written with the invariant culture.</summary>
internal static class AdminPages
{
    private static string E(string? value) => AdminLayout.E(value);

    public static string Message(MessageRecord m, IReadOnlyList<MessageEvent> events, IReadOnlyList<DeliveryRecord> deliveries)
    {
        var html = new StringBuilder();
        html.Append("<table>");
        foreach (var (k, v) in new[]
                 {
                     ("Status", m.Status.ToString()), ("Reason", m.Reason), ("Received", m.ReceivedAt.ToString("u")), ("From", $"{m.SourcePartner} / {m.SourceChannel}"),
                     ("File", m.RemoteName), ("Format", m.Format.ToString()), ("Document type", m.DocumentType), ("Sender", m.Sender), ("Recipient", m.Recipient),
                     ("Control reference", m.ControlReference), ("Test", m.IsTest ? "yes" : "no"), ("Size", $"{m.Length} bytes"), ("SHA-256", m.BlobHash),
                 })
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{k}</th><td>{E(v)}</td></tr>");
        }
        html.Append("</table>");
        html.Append("<h2>Deliveries</h2><table><tr><th>Partner</th><th>File</th><th>State</th><th>Attempts</th><th>Next attempt</th><th>Last error</th></tr>");
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
