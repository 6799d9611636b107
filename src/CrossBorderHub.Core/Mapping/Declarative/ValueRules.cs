namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>The part of evaluating a value both directions share: default, code table, conversion, required.</summary>
internal static class ValueRules
{
    /// <summary>
    /// Turns the source value <paramref name="raw"/> (null or empty when absent) into the target value, or null when
    /// there is none. A required value that is missing, a code with no translation or a value a conversion cannot
    /// read adds a finding naming the mapping and the source path.
    /// </summary>
    public static string? Finish(ValueRule rule, string? raw, string? format, string? unit, string mapping, string where, List<MappingFinding> findings)
    {
        if (rule.Const is not null)
        {
            return rule.Const;
        }
        if (string.IsNullOrEmpty(raw))
        {
            if (rule.Default is null && rule.Required)
            {
                findings.Add(new($"{mapping}: {where}{rule.Source}", "a required value is missing: the source has no value there."));
            }
            return rule.Default;
        }
        var value = raw;
        if (rule.Table is { } table)
        {
            if (table.Map.TryGetValue(raw, out var mapped))
            {
                value = mapped;
            }
            else if (table.Default is not null)
            {
                value = table.Default;
            }
            else
            {
                findings.Add(new($"{mapping}: {where}{rule.Source}", $"code '{raw}' has no entry in table '{table.Name}' (it has: {string.Join(", ", table.Map.Keys)})."));
                return null;
            }
        }
        if (rule.Convert is { } convert)
        {
            var converted = Conversions.Apply(convert, value, format, unit);
            if (converted is null)
            {
                findings.Add(new($"{mapping}: {where}{rule.Source}", $"'{value}' cannot be converted with {convert}{(format is null ? "" : $" (format {format})")}{(unit is null ? "" : $" (unit {unit})")}."));
            }
            return converted;
        }
        return value;
    }
}
