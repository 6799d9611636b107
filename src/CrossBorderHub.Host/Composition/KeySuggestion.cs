namespace CrossBorderHub.Host.Composition;

/// <summary>The valid key nearest to a mistyped one (Levenshtein distance, case-insensitive), when it is close enough.</summary>
internal static class KeySuggestion
{
    public static string? Nearest(string key, IEnumerable<string> valid)
    {
        var best = valid.Select(v => (Name: v, Distance: Distance(key.ToUpperInvariant(), v.ToUpperInvariant())))
            .OrderBy(c => c.Distance).FirstOrDefault();
        // Two edits, or a third of the word for long names: beyond that the "suggestion" is a guess that misleads.
        return best.Name is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Name : null;
    }

    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
