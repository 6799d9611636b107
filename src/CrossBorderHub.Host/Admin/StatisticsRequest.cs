using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Documents;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// GET /api/statistics and `hub statistics`: by (origin, destination, country = both, type, partner), period (day,
/// week, month), from/to (yyyy-MM-dd, inclusive), format (json, csv). A value that cannot be honoured is refused naming it.
/// </summary>
internal static class StatisticsRequest
{
    private static readonly string[] MetricColumns = ["documents", "delivered", "rejected", "duplicates", "latency_median_ms", "latency_p95_ms", "acknowledged_median_ms", "acknowledged_p95_ms"];

    public static (StatisticsQuery? Query, DocumentSearchRequest.Invalid? Problem) Read(string? by, string? period, string? from, string? to)
    {
        var dimensions = new List<StatisticsDimension>();
        foreach (var name in (by ?? "country,type").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "country":
                    dimensions.AddRange([StatisticsDimension.Origin, StatisticsDimension.Destination]);
                    break;
                case "origin" or "destination" or "type" or "partner":
                    dimensions.Add(Enum.Parse<StatisticsDimension>(name, ignoreCase: true));
                    break;
                default:
                    return (null, new DocumentSearchRequest.Invalid("by", by!, "list any of origin, destination, country (both), type, partner, comma-separated"));
            }
        }
        if (!Enum.TryParse<StatisticsPeriod>(period ?? "month", ignoreCase: true, out var grouping) || !Enum.IsDefined(grouping))
        {
            return (null, new DocumentSearchRequest.Invalid("period", period!, "use day, week or month"));
        }
        // The date checks of the document search, so both speak the same way about the same mistake.
        var (dates, problem) = DocumentSearchRequest.Read(null, null, null, from, to, null);
        return problem is not null ? (null, problem) : (new StatisticsQuery(dimensions.Distinct().ToList(), grouping, dates!.From, dates.To), null);
    }

    public static bool IsFormat(string? format, out bool csv)
    {
        csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        return format is null || csv || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One row per group after a header row; the dimension columns are those asked for, in the order of <see cref="StatisticsDimension"/>.</summary>
    public static string Csv(StatisticsQuery query, IReadOnlyList<StatisticsRow> rows)
    {
        var dimensions = Enum.GetValues<StatisticsDimension>().Where(query.By.Contains).ToList();
        var csv = new StringBuilder();
        csv.Append("period,");
        csv.AppendJoin(',', dimensions.Select(d => d.ToString().ToLowerInvariant()).Concat(MetricColumns)).Append("\r\n");
        foreach (var row in rows)
        {
            var values = new List<string> { row.Period };
            values.AddRange(dimensions.Select(d => d switch
            {
                StatisticsDimension.Origin => row.Origin,
                StatisticsDimension.Destination => row.Destination,
                StatisticsDimension.Type => row.Type,
                _ => row.Partner,
            } ?? ""));
            values.AddRange([N(row.Documents), N(row.Delivered), N(row.Rejected), N(row.Duplicates), N(row.LatencyMedianMs), N(row.LatencyP95Ms), N(row.AcknowledgedMedianMs), N(row.AcknowledgedP95Ms)]);
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string N(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    // RFC 4180 quoting; a value a spreadsheet would run as a formula (=, +, -, @) is prefixed with ' (a partner wrote it).
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}

/// <summary>GET /api/statistics?by=&amp;period=&amp;from=&amp;to=&amp;format=json|csv.</summary>
internal static class StatisticsEndpoint
{
    public static RouteHandlerBuilder MapStatistics(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/statistics", async (IDocumentStatistics statistics, string? by, string? period, string? from, string? to, string? format, CancellationToken ct) =>
        {
            var (query, invalid) = StatisticsRequest.Read(by, period, from, to);
            if (invalid is null && !StatisticsRequest.IsFormat(format, out _))
            {
                invalid = new DocumentSearchRequest.Invalid("format", format!, "use json or csv");
            }
            if (invalid is not null)
            {
                return Results.Problem(title: $"Invalid query parameter '{invalid.Parameter}'", detail: invalid.ToString(), statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["parameter"] = invalid.Parameter, ["value"] = invalid.Value });
            }
            var rows = await statistics.QueryAsync(query!, ct);
            StatisticsRequest.IsFormat(format, out var csv);
            return csv
                ? Results.File(Encoding.UTF8.GetBytes(StatisticsRequest.Csv(query!, rows)), "text/csv; charset=utf-8", $"statistics-{query!.Period.ToString().ToLowerInvariant()}.csv")
                : Results.Json(new { query = new { by = query!.By, period = query.Period, query.From, query.To }, rows }, Cli.MessagesVerb.Json);
        });
}
