using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Follows a message's segment table segment by segment (greedy, as ISO 9735 reads it): a segment repeats the
/// current position, moves forward within the current group, starts a nested group by its trigger, or closes
/// groups until some enclosing level accepts it. Skipped mandatory entries and exceeded repeats are reported.
/// </summary>
internal sealed class StructureMatcher
{
    private readonly List<Frame> _stack = [];

    public delegate void Report(SyntaxError code, string tag, string message);

    public void Start(MessageSpec spec)
    {
        _stack.Clear();
        _stack.Add(new Frame(spec.Root));
    }

    /// <summary>Moves to <paramref name="tag"/>; false when no position accepts it (state unchanged).</summary>
    public bool Match(int tag, Report report)
    {
        // Look for the tag from the innermost group outwards without changing state, then commit.
        for (var level = _stack.Count - 1; level >= 0; level--)
        {
            var frame = _stack[level];
            var children = frame.Node.Children;
            // Inside a group, its trigger segment again means a new occurrence of the group (found one level up).
            for (var j = Math.Max(frame.Index, level > 0 ? 1 : 0); j < children.Count; j++)
            {
                var child = children[j];
                if (child.TriggerKey != tag)
                {
                    continue;
                }
                if (j == frame.Index && frame.Count >= child.MaxRepeat && LaterPosition(children, j, tag) is var later and > 0)
                {
                    // The same tag further on (UNS+D ... UNS+S): take that position rather than a repetition.
                    j = later;
                    child = children[j];
                }
                // Commit: close the inner groups, reporting their mandatory leftovers.
                for (var close = _stack.Count - 1; close > level; close--)
                {
                    ReportMissingAfter(_stack[close], report);
                    _stack.RemoveAt(close);
                }
                for (var k = frame.Index + 1; k < j; k++)
                {
                    if (children[k].Mandatory)
                    {
                        report(SyntaxError.Missing, children[k].TriggerTag, $"mandatory {Describe(children[k])} is missing before {children[j].TriggerTag}");
                    }
                }
                if (frame.Index == j)
                {
                    frame.Count++;
                }
                else
                {
                    frame.Index = j;
                    frame.Count = 1;
                }
                if (frame.Count > child.MaxRepeat)
                {
                    report(child.IsGroup ? SyntaxError.TooManySegmentGroupRepetitions : SyntaxError.TooManyRepetitions, child.TriggerTag,
                        $"{Describe(child)} occurs more than {child.MaxRepeat} times");
                }
                if (child.IsGroup)
                {
                    // Enter the group (possibly several levels: a group whose trigger is itself a group).
                    var node = child;
                    while (node.IsGroup)
                    {
                        var inner = new Frame(node) { Index = 0, Count = 1 };
                        _stack.Add(inner);
                        node = node.Children[0];
                    }
                }
                return true;
            }
        }
        return false;
    }

    /// <summary>End of message: every mandatory entry not yet seen is reported.</summary>
    public void End(Report report)
    {
        for (var close = _stack.Count - 1; close >= 0; close--)
        {
            ReportMissingAfter(_stack[close], report);
        }
        _stack.Clear();
    }

    private static int LaterPosition(List<StructureNode> children, int from, int tag)
    {
        for (var k = from + 1; k < children.Count; k++)
        {
            if (children[k].TriggerKey == tag)
            {
                return k;
            }
        }
        return -1;
    }

    private static void ReportMissingAfter(Frame frame, Report report)
    {
        var children = frame.Node.Children;
        for (var k = frame.Index + 1; k < children.Count; k++)
        {
            if (children[k].Mandatory)
            {
                report(SyntaxError.Missing, children[k].TriggerTag, $"mandatory {Describe(children[k])} is missing");
            }
        }
    }

    private static string Describe(StructureNode node) =>
        node.IsGroup ? $"segment group {node.Name} (starting with {node.TriggerTag})" : $"segment {node.Name}";

    private sealed class Frame(StructureNode node)
    {
        public StructureNode Node { get; } = node;

        public int Index { get; set; } = -1;

        public int Count { get; set; }
    }
}
