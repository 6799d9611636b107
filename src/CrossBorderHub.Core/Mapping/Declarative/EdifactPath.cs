using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>Where a value sits in a segment: data element position (1-based) and component index (0-based).</summary>
internal readonly record struct ElementSlot(int Position, int Component, string Id);

/// <summary>A condition on a segment in a path: <c>NAD[3035=DT]</c> or <c>DTM[2005=137|171]</c>.</summary>
internal sealed record Qualifier(ElementSlot Slot, string[] Values);

/// <summary>
/// An EDIFACT address, checked against the directory when compiled: groups from the context group, then a segment
/// with qualifiers, then (for a value) the element: <c>SG7/NAD[3035=DT]/C080/3036</c>, <c>C080/3036#2</c> for the
/// second 3036 in the composite, <c>3036</c> alone for its first place in the segment.
/// </summary>
internal sealed class EdifactPath
{
    public required string Text { get; init; }

    public required string[] Groups { get; init; }

    /// <summary>The segment tag; null for a path that ends at a group (<c>SG30</c>).</summary>
    public string? Tag { get; init; }

    public Qualifier[] Qualifiers { get; init; } = [];

    public ElementSlot? Slot { get; init; }

    /// <summary>The date/time format code (2379) beside the value in its composite, read by date conversions.</summary>
    public ElementSlot? FormatSlot { get; init; }

    /// <summary>The structure node the path ends at (a group, or the group holding the segment).</summary>
    public required StructureNode End { get; init; }

    /// <summary>
    /// Parses and checks <paramref name="text"/> from <paramref name="context"/>. Returns null with one message (and
    /// its fix) when a step is not in the directory.
    /// </summary>
    public static EdifactPath? Compile(string text, StructureNode context, EdifactDirectory directory, bool needsValue, out string? problem, out string? fix)
    {
        problem = fix = null;
        var steps = SplitSteps(text);
        var node = context;
        var groups = new List<string>();
        var i = 0;
        for (; i < steps.Length && steps[i].StartsWith("SG", StringComparison.Ordinal) && steps[i].Skip(2).All(char.IsAsciiDigit) && steps[i].Length > 2; i++)
        {
            var child = node.Children.FirstOrDefault(c => c.IsGroup && c.Name == steps[i]);
            if (child is null)
            {
                problem = $"group {steps[i]} is not in {Describe(node)}.";
                fix = $"use one of its groups: {Join(node.Children.Where(c => c.IsGroup).Select(c => $"{c.Name} ({c.TriggerTag})"))}.";
                return null;
            }
            groups.Add(steps[i]);
            node = child;
        }
        if (i == steps.Length)
        {
            if (needsValue)
            {
                problem = $"'{text}' ends at a group; a value needs a segment and an element.";
                fix = $"continue the path, e.g. {text}/{node.TriggerTag}/<element>.";
                return null;
            }
            return new() { Text = text, Groups = [.. groups], End = node };
        }
        var (tag, qualifierText) = SplitQualifiers(steps[i]);
        if (tag.Length != 3 || !tag.All(char.IsAsciiLetterUpper))
        {
            problem = $"'{steps[i]}' is neither a segment group (SGn) nor a segment tag.";
            fix = "write a path like SG7/NAD[3035=DT]/C080/3036.";
            return null;
        }
        if (!node.Children.Any(c => !c.IsGroup && c.Name == tag))
        {
            problem = $"segment {tag} is not in {Describe(node)}.";
            var deeper = FindGroupOf(node, tag);
            fix = deeper is not null ? $"{tag} is in {deeper}: address it through that group." : $"use one of its segments: {Join(node.Children.Where(c => !c.IsGroup).Select(c => c.Name).Distinct())}.";
            return null;
        }
        var spec = directory.Segments.GetValueOrDefault(tag) ?? ServiceDefinitions.For(3).Segments.GetValueOrDefault(tag);
        if (spec is null)
        {
            problem = $"segment {tag} is not defined in directory {directory.Name}.";
            fix = "check the segment tag.";
            return null;
        }
        var qualifiers = new List<Qualifier>();
        foreach (var q in qualifierText)
        {
            var eq = q.IndexOf('=');
            if (eq <= 0)
            {
                problem = $"qualifier [{q}] in '{text}' is not ELEMENT=CODE.";
                fix = $"write e.g. {tag}[{spec.Elements[0].Id}=CODE].";
                return null;
            }
            if (ResolveSlot(spec, q[..eq], out problem, out fix) is not { } qslot)
            {
                return null;
            }
            var codes = q[(eq + 1)..].Split('|');
            var list = directory.Codes.GetValueOrDefault(qslot.Id);
            foreach (var code in codes)
            {
                if (list is { Count: > 0 } && !list.Contains(code))
                {
                    problem = $"'{code}' is not a code of {qslot.Id} in {directory.Name} (in {tag}[{q}]).";
                    fix = $"use a code of UNCL {qslot.Id}, e.g. {Join(list.Order(StringComparer.Ordinal).Take(8))}.";
                    return null;
                }
            }
            qualifiers.Add(new(qslot, codes));
        }
        ElementSlot? slot = null;
        ElementSlot? formatSlot = null;
        if (i + 1 < steps.Length)
        {
            if ((slot = ResolveSlot(spec, string.Join('/', steps[(i + 1)..]), out problem, out fix)) is null)
            {
                return null;
            }
            var element = spec.Elements[slot.Value.Position - 1];
            var format = element.Components?.Select((c, k) => (c.Id, k)).FirstOrDefault(c => c.Id == "2379");
            if (format is { Id: "2379" } f)
            {
                formatSlot = new(slot.Value.Position, f.k, "2379");
            }
        }
        else if (needsValue)
        {
            problem = $"'{text}' ends at segment {tag}; a value needs an element.";
            fix = $"add the element, e.g. {text}/{spec.Elements[0].Id}.";
            return null;
        }
        return new() { Text = text, Groups = [.. groups], Tag = tag, Qualifiers = [.. qualifiers], Slot = slot, FormatSlot = formatSlot, End = node };
    }

    /// <summary>Resolves <c>C080/3036</c>, <c>C080/3036#2</c>, <c>3036</c> or <c>3035</c> in a segment.</summary>
    public static ElementSlot? ResolveSlot(SegmentSpec spec, string text, out string? problem, out string? fix)
    {
        problem = fix = null;
        var parts = text.Split('/');
        var (last, occurrence) = SplitOccurrence(parts[^1]);
        var elements = spec.Elements.Select((e, k) => (Element: e, Position: k + 1)).ToList();
        if (parts.Length == 2)
        {
            elements = elements.Where(e => e.Element.Id == parts[0]).ToList();
            if (elements.Count == 0 || !elements[0].Element.IsComposite)
            {
                problem = $"{parts[0]} is not a composite of segment {spec.Tag}.";
                fix = $"use one of {spec.Tag}'s elements: {Join(spec.Elements.Select(e => e.Id))}.";
                return null;
            }
        }
        else if (parts.Length != 1)
        {
            problem = $"'{text}' has too many steps after segment {spec.Tag}.";
            fix = "write COMPOSITE/COMPONENT (C080/3036) or one element number.";
            return null;
        }
        foreach (var (element, position) in elements)
        {
            if (!element.IsComposite && element.Id == last && occurrence == 1)
            {
                return new(position, 0, last);
            }
            var matches = element.Components?.Select((c, k) => (c.Id, k)).Where(c => c.Id == last).ToList() ?? [];
            if (matches.Count >= occurrence)
            {
                return new(position, matches[occurrence - 1].k, last);
            }
        }
        problem = $"element {text} is not in segment {spec.Tag}.";
        fix = $"{spec.Tag} has: {Join(spec.Elements.Select(e => e.IsComposite ? $"{e.Id}({string.Join(',', e.Components!.Select(c => c.Id))})" : e.Id))}.";
        return null;
    }

    /// <summary>Splits on '/' outside brackets: the qualifier in <c>DTM[C507/2005=137]/C507/2380</c> stays one step.</summary>
    private static string[] SplitSteps(string text)
    {
        var steps = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '[' ? 1 : text[i] == ']' ? -1 : 0;
            if (text[i] == '/' && depth == 0)
            {
                steps.Add(text[start..i]);
                start = i + 1;
            }
        }
        steps.Add(text[start..]);
        return [.. steps];
    }

    private static (string Id, int Occurrence) SplitOccurrence(string step)
    {
        var hash = step.IndexOf('#');
        return hash > 0 && int.TryParse(step[(hash + 1)..], out var n) && n >= 1 ? (step[..hash], n) : (step, 1);
    }

    private static (string Tag, List<string> Qualifiers) SplitQualifiers(string step)
    {
        var open = step.IndexOf('[');
        if (open < 0)
        {
            return (step, []);
        }
        var qualifiers = step[open..].Split(']', StringSplitOptions.RemoveEmptyEntries).Select(q => q.TrimStart('[')).ToList();
        return (step[..open], qualifiers);
    }

    private static string? FindGroupOf(StructureNode node, string tag)
    {
        foreach (var child in node.Children.Where(c => c.IsGroup))
        {
            if (child.Children.Any(c => !c.IsGroup && c.Name == tag))
            {
                return child.Name;
            }
            if (FindGroupOf(child, tag) is { } deeper)
            {
                return $"{child.Name}/{deeper}";
            }
        }
        return null;
    }

    internal static string Describe(StructureNode node) => node.Name.StartsWith("SG", StringComparison.Ordinal) ? $"group {node.Name}" : $"the top level of {node.Name}";

    internal static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
