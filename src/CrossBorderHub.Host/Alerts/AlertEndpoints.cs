using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Alerts;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Alerts;

/// <summary>GET /alerts (the page) and GET /api/alerts: open alerts, then the recently cleared ones. Any signed-in role.</summary>
internal static class AlertEndpoints
{
    public const int Shown = 200;

    public static void MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", async (IAlertStore store, CancellationToken ct) =>
        {
            var alerts = await store.RecentAsync(Shown, ct);
            return Results.Json(new { total = alerts.Count, open = alerts.Count(a => a.ClearedAt is null), alerts, next = (string?)null }, MessagesVerb.Json);
        }).WithTags("Alerts").WithSummary("Open alerts, then the most recently cleared ones");
        app.MapGet("/alerts", async (IAlertStore store, HttpContext http, CancellationToken ct) =>
            AdminLayout.Page(http, "Alerts", Table(await store.RecentAsync(Shown, ct), "alerts"))).ExcludeFromDescription();
    }

    /// <summary>The open alerts for the top of the messages page (the dashboard), empty when there are none.</summary>
    public static string Banner(IReadOnlyList<AlertRecord> open) => open.Count == 0
        ? "<p id=alert-banner class=ok>No open alerts.</p>"
        : $"<div id=alert-banner class=error><b>{open.Count} open alert(s)</b> · <a href='/alerts'>all alerts</a><ul>"
          + string.Concat(open.Take(10).Select(a => $"<li>{AdminLayout.E(a.Summary)} <small>since {a.RaisedAt:u}</small></li>")) + "</ul></div>";

    private static string Table(IReadOnlyList<AlertRecord> alerts, string id)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>Rules and delivery: Hub:Alerts in the configuration (docs/admin.md). Open: <b id=open-alerts>{alerts.Count(a => a.ClearedAt is null)}</b>.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<table id={id}><tr><th>State</th><th>Rule</th><th>Summary</th><th>Detail</th><th>Raised</th><th>Cleared</th></tr>");
        foreach (var a in alerts)
        {
            var state = a.ClearedAt is null ? "<td class=error>open</td>" : "<td class=ok>cleared</td>";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-key='{AdminLayout.E(a.Key)}'>{state}<td>{AdminLayout.E(a.Rule)}</td><td>{AdminLayout.E(a.Summary)}</td><td>{AdminLayout.E(a.Detail)}</td><td>{a.RaisedAt:u}</td><td>{a.ClearedAt:u}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }
}
