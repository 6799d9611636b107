using System.Globalization;
using CrossBorderHub.Core.Documents;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// Statistics straight from hub_documents, in GROUP BY queries (counts, delivery latency histogram, acknowledgement
/// latencies): seconds on a million documents, so the hub answers from the rollup (<see cref="DapperDocumentStatistics"/>);
/// this one is the reference the rollup is tested against (same answers) and measured against in the benchmark.
/// </summary>
public sealed class ScanDocumentStatistics(SqlDialect dialect) : IDocumentStatistics
{
    private static readonly Dictionary<StatisticsDimension, string> Columns = new()
    {
        [StatisticsDimension.Origin] = "issuing_country",
        [StatisticsDimension.Destination] = "destination_country",
        [StatisticsDimension.Type] = "document_type",
        [StatisticsDimension.Partner] = "source_partner",
    };

    public async Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, CancellationToken cancellationToken)
    {
        var period = query.Period switch
        {
            StatisticsPeriod.Day => "received_day",
            StatisticsPeriod.Week => "received_week",
            _ => "received_month",
        };
        var dimensions = query.By.Distinct().ToList();
        // Only column names from the fixed map above reach the SQL text; values are parameters.
        var groupColumns = string.Join(", ", new[] { period }.Concat(dimensions.Select(d => Columns[d])));
        var select = string.Join(", ", new[] { $"{period} AS g0" }.Concat(dimensions.Select((d, i) => $"{Columns[d]} AS g{i + 1}")));
        var range = new
        {
            From = query.From is { } from ? Time.To(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : long.MinValue,
            To = query.To is { } to ? Time.To(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : long.MaxValue,
        };
        // Without a range the whole table is read in one scan: going through the received_at index would cost a
        // random read per row. With one, the index narrows it.
        var filter = query.From is null && query.To is null ? " FROM hub_documents WHERE 1 = 1" : " FROM hub_documents WHERE received_at >= @From AND received_at < @To";
        await using var connection = dialect.CreateConnection();
        var counts = await connection.QueryAsync(new CommandDefinition(
            $"SELECT {select}, COUNT(*) AS documents, " +
            "SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered, " +
            "SUM(CASE WHEN state = 'Rejected' THEN 1 ELSE 0 END) AS rejected, " +
            "SUM(CASE WHEN state = 'Duplicate' THEN 1 ELSE 0 END) AS duplicates" +
            filter + $" GROUP BY {groupColumns}", range, cancellationToken: cancellationToken));
        var histogram = await connection.QueryAsync(new CommandDefinition(
            $"SELECT {select}, latency_bucket AS bucket, COUNT(*) AS n" + filter + $" AND latency_bucket IS NOT NULL GROUP BY {groupColumns}, latency_bucket",
            range, cancellationToken: cancellationToken));
        var acknowledged = await connection.QueryAsync(new CommandDefinition(
            $"SELECT {select}, acknowledged_at - received_at AS ms, COUNT(*) AS n" + filter + $" AND acknowledged_at IS NOT NULL GROUP BY {groupColumns}, acknowledged_at - received_at",
            range, cancellationToken: cancellationToken));
        var acknowledgements = new Dictionary<string, List<(int Bucket, long Count)>>(StringComparer.Ordinal);
        foreach (IDictionary<string, object?> row in acknowledged)
        {
            var key = Key(row, dimensions.Count);
            if (!acknowledgements.TryGetValue(key, out var list))
            {
                acknowledgements[key] = list = [];
            }
            list.Add((StatisticsPeriods.Bucket(Long(row["ms"])), Long(row["n"])));
        }

        var buckets = new Dictionary<string, List<(int Bucket, long Count)>>(StringComparer.Ordinal);
        foreach (IDictionary<string, object?> row in histogram)
        {
            var key = Key(row, dimensions.Count);
            if (!buckets.TryGetValue(key, out var list))
            {
                buckets[key] = list = [];
            }
            list.Add((Convert.ToInt32(row["bucket"], CultureInfo.InvariantCulture), Convert.ToInt64(row["n"], CultureInfo.InvariantCulture)));
        }
        var result = new List<StatisticsRow>();
        foreach (IDictionary<string, object?> row in counts)
        {
            var values = Enumerable.Range(0, dimensions.Count + 1).Select(i => Convert.ToString(row[$"g{i}"], CultureInfo.InvariantCulture) ?? "").ToArray();
            string? Dimension(StatisticsDimension d) => dimensions.IndexOf(d) is var i and >= 0 ? values[i + 1] : null;
            var latencies = buckets.GetValueOrDefault(Key(row, dimensions.Count));
            result.Add(new StatisticsRow(values[0], Dimension(StatisticsDimension.Origin), Dimension(StatisticsDimension.Destination),
                Dimension(StatisticsDimension.Type), Dimension(StatisticsDimension.Partner),
                Long(row["documents"]), Long(row["delivered"]), Long(row["rejected"]), Long(row["duplicates"]),
                Percentile(latencies, 0.5), Percentile(latencies, 0.95)) with
            {
                AcknowledgedMedianMs = Percentile(acknowledgements.GetValueOrDefault(Key(row, dimensions.Count)), 0.5),
                AcknowledgedP95Ms = Percentile(acknowledgements.GetValueOrDefault(Key(row, dimensions.Count)), 0.95),
            });
        }
        return result.OrderBy(r => r.Period, StringComparer.Ordinal).ThenBy(r => r.Origin, StringComparer.Ordinal).ThenBy(r => r.Destination, StringComparer.Ordinal)
            .ThenBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Partner, StringComparer.Ordinal).ToList();
    }

    private static long Long(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static string Key(IDictionary<string, object?> row, int dimensions) =>
        string.Join('\u001f', Enumerable.Range(0, dimensions + 1).Select(i => Convert.ToString(row[$"g{i}"], CultureInfo.InvariantCulture)));

    /// <summary>The upper bound of the bucket holding the p-th value (nearest rank): within 5 % of the exact percentile.</summary>
    internal static double? Percentile(List<(int Bucket, long Count)>? histogram, double p)
    {
        if (histogram is null || histogram.Count == 0)
        {
            return null;
        }
        var total = histogram.Sum(b => b.Count);
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        foreach (var (bucket, count) in histogram.GroupBy(b => b.Bucket).Select(g => (Bucket: g.Key, Count: g.Sum(b => b.Count))).OrderBy(b => b.Bucket))
        {
            seen += count;
            if (seen >= rank)
            {
                return Math.Round(StatisticsPeriods.UpperBound(bucket), 1);
            }
        }
        return Math.Round(StatisticsPeriods.UpperBound(histogram.Max(b => b.Bucket)), 1);
    }
}
