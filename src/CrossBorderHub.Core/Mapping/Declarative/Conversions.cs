using System.Globalization;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// The conversions customs data needs between EDIFACT and XML. A conversion that cannot read its input returns
/// null; the rule then reports the value as unusable (a finding), never writes it half-converted.
/// </summary>
internal static class Conversions
{
    /// <summary>Every conversion name a rule may give in "convert".</summary>
    public static readonly string[] Names =
        ["date:iso", "date:102", "date:203", "date:204", "date:304", "decimal", "decimal:comma", "unit:KGM", "upper", "trim"];

    private static readonly Dictionary<string, decimal> ToKilograms = new(StringComparer.Ordinal)
    {
        ["KGM"] = 1m, ["GRM"] = 0.001m, ["TNE"] = 1000m, ["LBR"] = 0.45359237m, ["MGM"] = 0.000001m,
    };

    /// <param name="format">The EDIFACT format code (2379) read beside the value, when there is one.</param>
    /// <param name="unit">The unit read beside the value (for unit:), when there is one.</param>
    public static string? Apply(string name, string value, string? format, string? unit) => name switch
    {
        "date:iso" => ParseDate(value, format) is { } d ? Iso(d, value, format) : null,
        "date:102" => ParseDate(value, format)?.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        "date:203" => ParseDate(value, format)?.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture),
        "date:204" => ParseDate(value, format)?.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
        "date:304" => ParseDate(value, format) is { } d ? d.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Zone(d) : null,
        "decimal" => Decimal(value)?.ToString(CultureInfo.InvariantCulture),
        "decimal:comma" => Decimal(value)?.ToString(CultureInfo.InvariantCulture).Replace('.', ','),
        "unit:KGM" => Decimal(value) is { } n && ToKilograms.TryGetValue(unit ?? "KGM", out var factor)
            ? ((n * factor) / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : null,
        "upper" => value.ToUpperInvariant(),
        "trim" => value.Trim(),
        _ => value,
    };

    /// <summary>EDIFACT decimal mark (comma or point, either is allowed by ISO 9735) to a number.</summary>
    private static decimal? Decimal(string value) =>
        decimal.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            ? n : null;

    /// <summary>Reads EDIFACT 101/102/203/204 (by <paramref name="format"/>, else by length) or ISO 8601.</summary>
    internal static DateTimeOffset? ParseDate(string value, string? format)
    {
        value = value.Trim();
        var pattern = (format, value.Length) switch
        {
            ("101", _) or (null or "", 6) => "yyMMdd",
            ("102", _) or (null or "", 8) => "yyyyMMdd",
            ("203", _) or (null or "", 12) => "yyyyMMddHHmm",
            ("204", _) or (null or "", 14) => "yyyyMMddHHmmss",
            _ => null,
        };
        if (pattern is not null && value.All(char.IsAsciiDigit)
            && DateTime.TryParseExact(value, pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var edifact))
        {
            return new DateTimeOffset(edifact, TimeSpan.Zero);
        }
        // 304: CCYYMMDDHHMMSSZZZ (a Z or +hh) as WCO writes it.
        if (value.Length > 14 && value[..14].All(char.IsAsciiDigit)
            && DateTime.TryParseExact(value[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wco))
        {
            var zone = value[14..] is "Z" or "" ? TimeSpan.Zero
                : int.TryParse(value[14..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var h) ? TimeSpan.FromHours(h) : TimeSpan.Zero;
            return new DateTimeOffset(wco, zone);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso) ? iso : null;
    }

    /// <summary>ISO 8601 with as much precision as the EDIFACT value had: a 102 date stays a date.</summary>
    private static string Iso(DateTimeOffset d, string value, string? format) => (format, value.Trim().Length) switch
    {
        ("101" or "102", _) or (null or "", 6 or 8) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ("203", _) or (null or "", 12) => d.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        _ => d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (d.Offset == TimeSpan.Zero ? "Z" : d.ToString("zzz", CultureInfo.InvariantCulture)),
    };

    private static string Zone(DateTimeOffset d) => d.Offset == TimeSpan.Zero ? "Z" : d.ToString("zz", CultureInfo.InvariantCulture);
}
