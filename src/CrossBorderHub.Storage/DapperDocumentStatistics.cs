using System.Globalization;
using CrossBorderHub.Core.Documents;

namespace CrossBorderHub.Storage;

/// <summary>
/// Statistics from the daily rollup (hub_document_daily, kept by <see cref="DocumentRollup"/>): one indexed range read
/// of at most days x groups rows, folded here into weeks or months and the dimensions asked for; the percentiles come
/// from the summed histograms. Gives the same answers as <see cref="ScanDocumentStatistics"/> (a test compares them).
/// </summary>
public sealed class DapperDocumentStatistics(SqlDialect dialect) : IDocumentStatistics
{
    public async Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, CancellationToken cancellationToken)
    {
        var dimensions = query.By.ToHashSet();
        var range = new
        {
            From = query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            To = query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "9999-12-31",
        };
        await using var connection = dialect.CreateConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT received_day, origin, destination, document_type, partner, documents, delivered, rejected, duplicates, delivery_latency, ack_latency " +
            "FROM hub_document_daily WHERE received_day >= @From AND received_day <= @To";
        foreach (var (name, value) in new[] { ("From", range.From), ("To", range.To) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        // A plain reader and an array histogram per group: a year of days x groups is read in one pass with no
        // object per row (Dapper and a dictionary per row cost more than the database on 100,000 rows).
        var groups = new Dictionary<Group, Accumulator>();
        var periods = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var day = reader.GetString(0);
            if (!periods.TryGetValue(day, out var period))
            {
                periods[day] = period = Period(day, query.Period);
            }
            var group = new Group(period,
                dimensions.Contains(StatisticsDimension.Origin) ? reader.GetString(1) : null,
                dimensions.Contains(StatisticsDimension.Destination) ? reader.GetString(2) : null,
                dimensions.Contains(StatisticsDimension.Type) ? reader.GetString(3) : null,
                dimensions.Contains(StatisticsDimension.Partner) ? reader.GetString(4) : null);
            if (!groups.TryGetValue(group, out var sum))
            {
                groups[group] = sum = new Accumulator();
            }
            sum.Documents += reader.GetInt64(5);
            sum.Delivered += reader.GetInt64(6);
            sum.Rejected += reader.GetInt64(7);
            sum.Duplicates += reader.GetInt64(8);
            sum.Delivery.Add(reader.GetString(9));
            sum.Acknowledgement.Add(reader.GetString(10));
        }
        return groups.Where(g => g.Value.Documents > 0)
            .Select(g => new StatisticsRow(g.Key.Period, g.Key.Origin, g.Key.Destination, g.Key.Type, g.Key.Partner,
                g.Value.Documents, g.Value.Delivered, g.Value.Rejected, g.Value.Duplicates,
                g.Value.Delivery.Percentile(0.5), g.Value.Delivery.Percentile(0.95), g.Value.Acknowledgement.Percentile(0.5), g.Value.Acknowledgement.Percentile(0.95)))
            .OrderBy(r => r.Period, StringComparer.Ordinal).ThenBy(r => r.Origin, StringComparer.Ordinal).ThenBy(r => r.Destination, StringComparer.Ordinal)
            .ThenBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Partner, StringComparer.Ordinal).ToList();
    }

    /// <summary>Recomputes the rollup from the document rows (after a bulk load that wrote hub_documents directly).</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DocumentRollup.RebuildAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The period key of a day, as the document rows' received_week / received_month columns spell it.</summary>
    private static string Period(string day, StatisticsPeriod period)
    {
        var date = DateTime.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return period switch
        {
            StatisticsPeriod.Day => day,
            StatisticsPeriod.Week => StatisticsPeriods.Week(date),
            _ => StatisticsPeriods.Month(date),
        };
    }

    private readonly record struct Group(string Period, string? Origin, string? Destination, string? Type, string? Partner);

    private sealed class Accumulator
    {
        public long Documents;
        public long Delivered;
        public long Rejected;
        public long Duplicates;
        public readonly Histogram Delivery = new();
        public readonly Histogram Acknowledgement = new();
    }

    /// <summary>Counts per bucket in an array (bucket n at index n), filled straight from the "bucket:count ..." text.</summary>
    private sealed class Histogram
    {
        private long[] _counts = new long[512];
        private int _top = -1;

        public void Add(string text)
        {
            var span = text.AsSpan();
            while (!span.IsEmpty)
            {
                var space = span.IndexOf(' ');
                var pair = space < 0 ? span : span[..space];
                span = space < 0 ? [] : span[(space + 1)..];
                var colon = pair.IndexOf(':');
                var bucket = int.Parse(pair[..colon], NumberStyles.None, CultureInfo.InvariantCulture);
                if (bucket >= _counts.Length)
                {
                    Array.Resize(ref _counts, Math.Max(bucket + 1, _counts.Length * 2));
                }
                _counts[bucket] += long.Parse(pair[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                _top = Math.Max(_top, bucket);
            }
        }

        public double? Percentile(double p) =>
            ScanDocumentStatistics.Percentile(Enumerable.Range(0, _top + 1).Where(b => _counts[b] != 0).Select(b => (b, _counts[b])).ToList(), p);
    }
}
