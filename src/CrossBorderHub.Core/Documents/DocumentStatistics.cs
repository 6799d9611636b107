namespace CrossBorderHub.Core.Documents;

/// <summary>What statistics can be grouped by besides the period; "country" on the API means origin and destination.</summary>
public enum StatisticsDimension
{
    Origin,
    Destination,
    Type,
    Partner,
}

public enum StatisticsPeriod
{
    Day,
    Week,
    Month,
}

/// <summary>Documents received from <see cref="From"/> to <see cref="To"/> (UTC days, both inclusive), grouped by period and dimensions.</summary>
public sealed record StatisticsQuery(IReadOnlyList<StatisticsDimension> By, StatisticsPeriod Period, DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// One group: its period (2026-12-03, 2026-W49, 2026-12) and dimension values, volumes, the received -> delivered
/// latency (median and 95th percentile, milliseconds, from 5 % histogram buckets; null when nothing was delivered) and
/// the received -> acknowledged latency (null when nothing was acknowledged).
/// </summary>
public sealed record StatisticsRow(
    string Period,
    string? Origin,
    string? Destination,
    string? Type,
    string? Partner,
    long Documents,
    long Delivered,
    long Rejected,
    long Duplicates,
    double? LatencyMedianMs,
    double? LatencyP95Ms,
    double? AcknowledgedMedianMs = null,
    double? AcknowledgedP95Ms = null);

/// <summary>Supervision statistics over the documents (read from a daily rollup kept with the document rows).</summary>
public interface IDocumentStatistics
{
    Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, CancellationToken cancellationToken);
}
