using System.Xml.Linq;

namespace CrossBorderHub.Core.Mapping;

/// <summary>One fixture result: the input file, whether the mapped output equals the expected file, and the two texts.</summary>
public sealed record FixtureResult(string Input, bool Passed, string Expected, string Actual, string? Failure);

/// <summary>
/// Runs mappings/&lt;name&gt;/tests/NAME.input.* against NAME.expected.*. XML is compared after parsing with
/// insignificant whitespace dropped, so an indentation change in the stylesheet's output is not a failure while any
/// changed element, attribute or value is (independent tools such as xsltproc wrote some expected files).
/// </summary>
public static class MappingFixtures
{
    public static IReadOnlyList<FixtureResult> Run(IMapping mapping, string folder)
    {
        var tests = Path.Combine(folder, "tests");
        var results = new List<FixtureResult>();
        if (!Directory.Exists(tests))
        {
            return results;
        }
        foreach (var input in Directory.EnumerateFiles(tests, "*.input.*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(input);
            // The expected file may have another extension than the input (an .edi mapped to .xml).
            var stem = name[..name.IndexOf(".input.", StringComparison.Ordinal)];
            var expectedFile = Directory.EnumerateFiles(tests, stem + ".expected.*").Order(StringComparer.Ordinal).FirstOrDefault()
                ?? Path.Combine(tests, name.Replace(".input.", ".expected.", StringComparison.Ordinal));
            if (!File.Exists(expectedFile))
            {
                results.Add(new(input, false, "", "", $"no expected file {Path.GetFileName(expectedFile)}: add it beside the input."));
                continue;
            }
            using var source = File.OpenRead(input);
            using var target = new MemoryStream();
            var outcome = mapping.Map(source, target, CancellationToken.None);
            var expected = File.ReadAllText(expectedFile);
            var actual = System.Text.Encoding.UTF8.GetString(target.ToArray()).TrimStart('\uFEFF');
            if (!outcome.Succeeded)
            {
                results.Add(new(input, false, expected, actual, string.Join("; ", outcome.Findings.Select(f => $"{f.SourcePath}: {f.Message}"))));
                continue;
            }
            results.Add(new(input, Same(expected, actual), Normalize(expected), Normalize(actual), null));
        }
        return results;
    }

    private static bool Same(string expected, string actual)
    {
        try
        {
            return XNode.DeepEquals(XDocument.Parse(expected).Root, XDocument.Parse(actual).Root);
        }
        catch (System.Xml.XmlException)
        {
            return expected.ReplaceLineEndings("\n").Trim() == actual.ReplaceLineEndings("\n").Trim();
        }
    }

    /// <summary>Re-indents XML so a diff shows the changed values, not formatting.</summary>
    private static string Normalize(string text)
    {
        try
        {
            return XDocument.Parse(text).Root!.ToString();
        }
        catch (System.Xml.XmlException)
        {
            return text;
        }
    }

    /// <summary>A minimal unified diff (whole file as one hunk, LCS by lines): enough to see what changed.</summary>
    public static string UnifiedDiff(string expected, string actual, string expectedName, string actualName)
    {
        var a = expected.ReplaceLineEndings("\n").Split('\n');
        var b = actual.ReplaceLineEndings("\n").Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var text = new System.Text.StringBuilder();
        text.Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"@@ -1,{a.Length} +1,{b.Length} @@\n");
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                text.Append(' ').Append(a[x++]).Append('\n');
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                text.Append('+').Append(b[y++]).Append('\n');
            }
            else
            {
                text.Append('-').Append(a[x++]).Append('\n');
            }
        }
        return text.ToString();
    }
}
