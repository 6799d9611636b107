using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>
/// Parses the UNECE UNTDID text files as published: segment specifications (EDSD, or TRSD in D.96B, composites
/// listed inline), code lists (UNCL, or UNCL-1 + UNCL-2) and one message file per type (XXXXXX_D.96B) for the
/// segment table. Change-indicator columns and the code page 437 rules are tolerated; the files are never edited.
/// </summary>
internal static partial class UneceDirectoryLoader
{
    [GeneratedRegex(@"^[+*#|X\- ]{0,7}([A-Z]{3})\s{2,}(\S.*)$")]
    private static partial Regex SegmentHeader();

    [GeneratedRegex(@"^[+*#|X\-]?\s*(\d{3})\s+(?:[+*#|X\-]\s+)?([A-Z]?\d{3,4})\s+(.*?)\s+([MC])(?:\s+(\d+))?(?:\s+((?:an|a|n)(?:\.\.)?\d+))?\s*$")]
    private static partial Regex ElementLine();

    [GeneratedRegex(@"^[+*#|X\-]?\s+(?:[+*#|X\-]\s+)?(\d{4})\s+(.*?)\s+([MC])\s+((?:an|a|n)(?:\.\.)?\d+)\s*$")]
    private static partial Regex ComponentLine();

    [GeneratedRegex(@"^[+*#|X\-]?\s*(\d{3})\s+(?:[+*#|X\-]\s+)?([A-Z]?\d{3,4})\s+(\S.*)$")]
    private static partial Regex ElementStart();

    [GeneratedRegex(@"^[+*#|X\-]?\s+(?:[+*#|X\-]\s+)?(\d{4})\s+(\S.*)$")]
    private static partial Regex ComponentStart();

    [GeneratedRegex(@"^\s+(.*?)\s*\b([MC])(?:\s+(\d+))?(?:\s+((?:an|a|n)(?:\.\.)?\d+))?\s*$")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"^(\d{4,5})\s*[+*#|X\-]?\s+([A-Z]{3})\s+(.*?)\s+([MC])\s+(\d+)(.*)$")]
    private static partial Regex TableSegment();

    [GeneratedRegex(@"^(\d{4,5})\s*[+*#|X\-]?\s+[─\-]+\s*Segment group\s+(\d+)\s*[─\-]+\s*([MC])\s+(\d+)(.*)$")]
    private static partial Regex TableGroup();

    [GeneratedRegex(@"^\s*(\d{4})\s+(\S.*?)(?:\s+\[[A-Z]\])?$")]
    private static partial Regex CodeListHeader();

    public static Dictionary<string, SegmentSpec> LoadSegments(string path)
    {
        var result = new Dictionary<string, SegmentSpec>(StringComparer.Ordinal);
        string? tag = null, name = null;
        var elements = new List<ElementSpec>();
        List<ValueSpec>? components = null;
        ElementSpec? composite = null;

        void FlushComposite()
        {
            if (composite is not null)
            {
                // A new record (not `with`): the mandatory-component mask is computed from the final components.
                elements.Add(new ElementSpec(composite.Id, composite.Name, composite.Mandatory, composite.Repeat, null, [.. components!]));
                composite = null;
            }
        }

        void Flush()
        {
            FlushComposite();
            if (tag is not null)
            {
                result[tag] = new SegmentSpec(tag, name!, [.. elements]);
            }
            tag = null;
            elements.Clear();
        }

        var atEntryStart = false;
        string? pending = null;
        foreach (var line in UneceText.ReadLines(path))
        {
            if (UneceText.IsRule(line))
            {
                pending = null;
                Flush();
                atEntryStart = true;
                continue;
            }
            if (line.Length == 0)
            {
                continue;
            }
            if (atEntryStart)
            {
                atEntryStart = false;
                var header = SegmentHeader().Match(line);
                if (header.Success)
                {
                    tag = header.Groups[1].Value;
                    name = header.Groups[2].Value.Trim();
                }
                continue;
            }
            if (tag is null)
            {
                continue;
            }
            var line2 = line;
            if (pending is not null)
            {
                // A name wrapped onto a second line: join it and read the pair as one line.
                var rest = Continuation().Match(line);
                line2 = rest.Success ? pending + " " + line.TrimStart() : line;
                pending = null;
            }
            else if (!ElementLine().IsMatch(line) && !ComponentLine().IsMatch(line)
                && (ElementStart().IsMatch(line) || (composite is not null && ComponentStart().IsMatch(line))))
            {
                pending = line;
                continue;
            }
            var element = ElementLine().Match(line2);
            if (element.Success)
            {
                FlushComposite();
                var id = element.Groups[2].Value;
                var mandatory = element.Groups[4].Value == "M";
                var repeat = element.Groups[5].Success ? int.Parse(element.Groups[5].Value, CultureInfo.InvariantCulture) : 1;
                if (element.Groups[6].Success)
                {
                    var (kind, min, max) = ValueSpec.ParseFormat(element.Groups[6].Value);
                    elements.Add(new ElementSpec(id, element.Groups[3].Value, mandatory, repeat,
                        new ValueSpec(id, element.Groups[3].Value, mandatory, kind, min, max), null));
                }
                else
                {
                    composite = new ElementSpec(id, element.Groups[3].Value, mandatory, repeat, null, []);
                    components = [];
                }
                continue;
            }
            var component = ComponentLine().Match(line2);
            if (component.Success && composite is not null)
            {
                var (kind, min, max) = ValueSpec.ParseFormat(component.Groups[4].Value);
                components!.Add(new ValueSpec(component.Groups[1].Value, component.Groups[2].Value,
                    component.Groups[3].Value == "M", kind, min, max));
            }
        }
        Flush();
        return result;
    }

    public static Dictionary<string, HashSet<string>> LoadCodes(IEnumerable<string> paths)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            HashSet<string>? current = null;
            var atEntryStart = false;
            var inCodes = false;
            foreach (var raw in UneceText.ReadLines(path))
            {
                if (UneceText.IsRule(raw))
                {
                    atEntryStart = true;
                    current = null;
                    continue;
                }
                if (raw.Length == 0)
                {
                    continue;
                }
                var line = UneceText.WithoutIndicator(raw);
                if (atEntryStart)
                {
                    atEntryStart = false;
                    inCodes = false;
                    var header = CodeListHeader().Match(line);
                    if (header.Success)
                    {
                        current = result.TryGetValue(header.Groups[1].Value, out var existing) ? existing : new HashSet<string>(StringComparer.Ordinal);
                        result[header.Groups[1].Value] = current;
                    }
                    continue;
                }
                if (current is null)
                {
                    continue;
                }
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith("Repr:", StringComparison.Ordinal))
                {
                    inCodes = true;
                    continue;
                }
                var indent = line.Length - trimmed.Length;
                if (!inCodes || indent < 2 || indent > 11)
                {
                    continue;
                }
                var end = trimmed.IndexOf(' ');
                var code = end < 0 ? trimmed : trimmed[..end];
                if (!code.EndsWith(':'))
                {
                    current.Add(code);
                }
            }
        }
        return result;
    }

    /// <summary>Reads the segment table of a message file into a tree; null when the file has none.</summary>
    public static MessageSpec? LoadMessage(string type, string path)
    {
        var lines = UneceText.ReadLines(path);
        var start = Array.FindIndex(lines, l => l.StartsWith("Pos", StringComparison.Ordinal) && l.Contains("Tag") && l.Contains("Name"));
        if (start < 0)
        {
            return null;
        }
        var root = new StructureNode(type, true, 1, true);
        var stack = new Stack<StructureNode>();
        stack.Push(root);
        foreach (var line in lines.Skip(start + 1))
        {
            var group = TableGroup().Match(line);
            if (group.Success)
            {
                var node = new StructureNode("SG" + group.Groups[2].Value, group.Groups[3].Value == "M",
                    int.Parse(group.Groups[4].Value, CultureInfo.InvariantCulture), true);
                stack.Peek().Children.Add(node);
                stack.Push(node);
                continue;
            }
            var segment = TableSegment().Match(line);
            if (segment.Success)
            {
                stack.Peek().Children.Add(new StructureNode(segment.Groups[2].Value, segment.Groups[4].Value == "M",
                    int.Parse(segment.Groups[5].Value, CultureInfo.InvariantCulture), false));
                var closers = segment.Groups[6].Value.Count(c => c is '┘' or '┴' or '+');
                for (var i = 0; i < closers && stack.Count > 1; i++)
                {
                    stack.Pop();
                }
                continue;
            }
            if (Regex.IsMatch(line, @"^\d+\.\d") && root.Children.Count > 0)
            {
                break;
            }
        }
        root.Children.RemoveAll(c => c.Name is "UNH" or "UNT");
        return root.Children.Count == 0 ? null : new MessageSpec(type, root);
    }
}
