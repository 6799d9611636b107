using System.Globalization;

namespace CrossBorderHub.Storage;

/// <summary>
/// The period keys written on each document row when it is recorded (day 2026-12-03, ISO week 2026-W49, month
/// 2026-12), and the latency histogram bucket written when it is delivered: statistics then group by plain columns.
/// </summary>
public static class StatisticsPeriods
{
    /// <summary>Each bucket is 5 % wider than the one before: a percentile read from buckets is within 5 % of the exact one.</summary>
    public const double BucketGrowth = 1.05;

    public static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Week(DateTime utc) => $"{ISOWeek.GetYear(utc):D4}-W{ISOWeek.GetWeekOfYear(utc):D2}";

    public static string Month(DateTime utc) => utc.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>0 for up to 1 ms, else the smallest n with 1.05^n >= milliseconds.</summary>
    public static int Bucket(long milliseconds) => milliseconds <= 1 ? 0 : (int)Math.Ceiling(Math.Log(milliseconds) / Math.Log(BucketGrowth) - 1e-9);

    /// <summary>The upper bound of a bucket, in milliseconds.</summary>
    public static double UpperBound(int bucket) => Math.Pow(BucketGrowth, bucket);
}
