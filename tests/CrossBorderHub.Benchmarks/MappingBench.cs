using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Benchmarks;

/// <summary>
/// The mapping benchmark's helpers (run-mapping.sh, docs/benchmarks.md "Mapping"): SPS certificates of a given size
/// for the XSLT comparison, and the hub's in-process XSLT time per document (the stylesheet compiled once, as the
/// running hub holds it, then each document mapped: what xsltproc does per document, minus its process start).
/// </summary>
public static class MappingBench
{
    /// <summary>sps-generate KB OUT: the ePhyto sample certificate with its trade line item repeated to about KB kilobytes.</summary>
    public static int GenerateSps(string sample, double kilobytes, string output)
    {
        var text = File.ReadAllText(sample);
        var start = text.IndexOf("<ram:IncludedSPSTradeLineItem>", StringComparison.Ordinal);
        var endTag = "</ram:IncludedSPSTradeLineItem>";
        var end = text.IndexOf(endTag, start, StringComparison.Ordinal) + endTag.Length;
        var item = text[start..end];
        var target = (long)(kilobytes * 1024);
        var body = new StringBuilder(text[..end]);
        for (var n = 2; body.Length + (text.Length - end) < target; n++)
        {
            body.Append("\n      ").Append(item.Replace("<ram:SequenceNumeric>1<", $"<ram:SequenceNumeric>{n}<", StringComparison.Ordinal));
        }
        body.Append(text[end..]);
        File.WriteAllText(output, body.ToString(), new UTF8Encoding(false));
        Console.WriteLine($"wrote {body.Length} bytes to {output}");
        return 0;
    }

    /// <summary>map-inprocess MAPPINGS EDIFACT_ROOT NAME INPUT RUNS: median milliseconds per document, output discarded.</summary>
    public static int MapInProcess(string mappings, string edifactRoot, string name, string input, int runs)
    {
        var catalog = new MappingCatalog(mappings, MappingCatalog.Compilers(edifactRoot)).Load();
        var mapping = catalog.Find(name);
        if (mapping is null)
        {
            Console.Error.WriteLine($"mapping {name} does not load: {string.Join(" | ", catalog.Errors)}");
            return 2;
        }
        var bytes = File.ReadAllBytes(input);
        var times = new List<double>();
        for (var r = 0; r < runs + 3; r++)
        {
            var watch = Stopwatch.StartNew();
            var outcome = mapping.Map(new MemoryStream(bytes, writable: false), Stream.Null, CancellationToken.None);
            watch.Stop();
            if (!outcome.Succeeded)
            {
                Console.Error.WriteLine($"{input}: {outcome.Findings[0]}");
                return 1;
            }
            if (r >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds); // the first three warm the JIT and are not counted
            }
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{times[times.Count / 2]:F3}"));
        return 0;
    }
}
