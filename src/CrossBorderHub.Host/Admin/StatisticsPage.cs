using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Documents;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /statistics: the period and date range form, two charts (documents per period by origin country and by document
/// type, drawn by wwwroot/js/statistics.js with the vendored Chart.js from GET /api/statistics), the CSV download
/// of the same query, and the table by country and type rendered here (readable without script).
/// </summary>
internal static class StatisticsPage
{
    public static void MapStatisticsPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/statistics", async (HttpContext http, IDocumentStatistics statistics, string? period, string? from, string? to, CancellationToken ct) =>
        {
            // The form sends empty fields as "": no bound, not an invalid date.
            (period, from, to) = (DocumentPages.Blank(period), DocumentPages.Blank(from), DocumentPages.Blank(to));
            var (query, invalid) = StatisticsRequest.Read("country,type", period, from, to);
            var form = Form(period, from, to);
            if (invalid is not null)
            {
                return AdminLayout.Page(http, "Statistics", form + $"<p class=error id=statistics-error>{AdminLayout.E(invalid.ToString())}</p>", statusCode: StatusCodes.Status400BadRequest);
            }
            var range = string.Concat(
                $"period={query!.Period.ToString().ToLowerInvariant()}",
                query.From is { } f ? $"&from={f:yyyy-MM-dd}" : "",
                query.To is { } t ? $"&to={t:yyyy-MM-dd}" : "");
            var rows = await statistics.QueryAsync(query, ct);
            var html = new StringBuilder(form);
            // The script reads the same query from data attributes (no inline script: the CSP forbids it).
            html.Append(CultureInfo.InvariantCulture, $"<p><a id=csv href='/api/statistics?by=country,type&{AdminLayout.E(range)}&format=csv'>Download CSV</a> (one row per period, origin, destination and type)</p>")
                .Append(CultureInfo.InvariantCulture, $"<div id=charts data-query='{AdminLayout.E(range)}'>")
                .Append("<h2>Documents by origin country</h2><div style='max-width:900px'><canvas id=chart-country></canvas></div>")
                .Append("<h2>Documents by type</h2><div style='max-width:900px'><canvas id=chart-type></canvas></div></div>")
                .Append("<h2>By country and type</h2><table id=statistics><tr><th>Period</th><th>Origin</th><th>Destination</th><th>Type</th><th>Documents</th><th>Delivered</th><th>Rejected</th><th>Duplicates</th>")
                .Append("<th>Delivery median / p95 (ms)</th><th>Acknowledged median / p95 (ms)</th></tr>");
            foreach (var r in rows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{AdminLayout.E(r.Period)}</td><td>{AdminLayout.E(r.Origin)}</td><td>{AdminLayout.E(r.Destination)}</td><td>{AdminLayout.E(r.Type)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{r.Documents}</td><td>{r.Delivered}</td><td>{r.Rejected}</td><td>{r.Duplicates}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{r.LatencyMedianMs} / {r.LatencyP95Ms}</td><td>{r.AcknowledgedMedianMs} / {r.AcknowledgedP95Ms}</td></tr>");
            }
            html.Append("</table>");
            return AdminLayout.Page(http, "Statistics", html.ToString(), [AdminLayout.Scripts.Chart, "/static/js/statistics.js"]);
        });

    private static string Form(string? period, string? from, string? to)
    {
        var html = new StringBuilder("<form method=get id=statistics-form><select name=period id=period>");
        foreach (var p in new[] { "month", "week", "day" })
        {
            html.Append(CultureInfo.InvariantCulture, $"<option{(string.Equals(p, period ?? "month", StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{p}</option>");
        }
        return html.Append(CultureInfo.InvariantCulture, $"</select> <input name=from id=from placeholder='from yyyy-MM-dd' value='{AdminLayout.E(from)}'> ")
            .Append(CultureInfo.InvariantCulture, $"<input name=to id=to placeholder='to yyyy-MM-dd' value='{AdminLayout.E(to)}'> <button id=show>Show</button></form>").ToString();
    }
}
