using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>Reads samples out of a Prometheus text exposition: the value of a series by name and some of its labels.</summary>
public static partial class PrometheusText
{
    /// <summary>The sum over every series of <paramref name="name"/> carrying all the given labels (0 when none does).</summary>
    public static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        double sum = 0;
        foreach (Match sample in Sample().Matches(exposition))
        {
            if (sample.Groups["name"].Value != name)
            {
                continue;
            }
            var present = sample.Groups["labels"].Value;
            if (labels.All(l => present.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                sum += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    public static bool Has(string exposition, string name) => Sample().Matches(exposition).Any(m => m.Groups["name"].Value == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ \n]+)( [0-9]+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
