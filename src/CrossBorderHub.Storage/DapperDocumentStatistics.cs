using System.Globalization;
using CrossBorderHub.Core.Documents;
using Dapper;

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
        var rows = await connection.QueryAsync<DailyRow>(new CommandDefinition(
            "SELECT * FROM hub_document_daily WHERE received_day >= @From AND received_day <= @To", range, cancellationToken: cancellationToken));
        var groups = new Dictionary<Group, DocumentRollup.Tally>();
        var periods = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!periods.TryGetValue(row.ReceivedDay, out var period))
            {
                periods[row.ReceivedDay] = period = Period(row.ReceivedDay, query.Period);
            }
            var group = new Group(period,
                dimensions.Contains(StatisticsDimension.Origin) ? row.Origin : null,
                dimensions.Contains(StatisticsDimension.Destination) ? row.Destination : null,
                dimensions.Contains(StatisticsDimension.Type) ? row.DocumentType : null,
                dimensions.Contains(StatisticsDimension.Partner) ? row.Partner : null);
            if (!groups.TryGetValue(group, out var tally))
            {
                groups[group] = tally = new DocumentRollup.Tally();
            }
            tally.Documents += row.Documents;
            tally.Delivered += row.Delivered;
            tally.Rejected += row.Rejected;
            tally.Duplicates += row.Duplicates;
            DocumentRollup.Merge(tally.Delivery, DocumentRollup.Parse(row.DeliveryLatency), 1);
            DocumentRollup.Merge(tally.Acknowledgement, DocumentRollup.Parse(row.AckLatency), 1);
        }
        return groups.Where(g => g.Value.Documents > 0)
            .Select(g => new StatisticsRow(g.Key.Period, g.Key.Origin, g.Key.Destination, g.Key.Type, g.Key.Partner,
                g.Value.Documents, g.Value.Delivered, g.Value.Rejected, g.Value.Duplicates,
                Percentile(g.Value.Delivery, 0.5), Percentile(g.Value.Delivery, 0.95), Percentile(g.Value.Acknowledgement, 0.5), Percentile(g.Value.Acknowledgement, 0.95)))
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

    private static double? Percentile(SortedDictionary<int, long> histogram, double p) =>
        ScanDocumentStatistics.Percentile(histogram.Select(b => (b.Key, b.Value)).ToList(), p);

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

    private sealed class DailyRow
    {
        public string ReceivedDay { get; set; } = "";
        public string Origin { get; set; } = "";
        public string Destination { get; set; } = "";
        public string DocumentType { get; set; } = "";
        public string Partner { get; set; } = "";
        public long Documents { get; set; }
        public long Delivered { get; set; }
        public long Rejected { get; set; }
        public long Duplicates { get; set; }
        public string DeliveryLatency { get; set; } = "";
        public string AckLatency { get; set; } = "";
    }
}
