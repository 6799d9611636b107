using System.Runtime.CompilerServices;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Follows a message's segment table segment by segment (greedy, as ISO 9735 reads it): a segment repeats the
/// current position, moves forward within the current group, starts a nested group by its trigger, or closes
/// groups until some enclosing level accepts it. Skipped mandatory entries and exceeded repeats are reported.
/// </summary>
internal sealed class StructureMatcher
{
    // The open groups, innermost last: a struct stack, so entering a group (millions of times in a big
    // interchange) allocates nothing.
    private Frame[] _stack = new Frame[8];
    private int _depth;

    public delegate void Report(SyntaxError code, string tag, string message);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Start(MessageSpec spec)
    {
        _depth = 0;
        Push(spec.Root, index: -1, count: 0);
    }

    private void Push(StructureNode node, int index, int count)
    {
        if (_depth == _stack.Length)
        {
            Array.Resize(ref _stack, _depth * 2);
        }
        _stack[_depth++] = new Frame(node, node.ChildKeys, index, count);
    }

    /// <summary>Moves to <paramref name="tag"/>; false when no position accepts it (state unchanged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Match(int tag, Report report)
    {
        // Look for the tag from the innermost group outwards without changing state, then commit.
        for (var level = _depth - 1; level >= 0; level--)
        {
            ref var frame = ref _stack[level];
            var keys = frame.Keys;
            // Inside a group, its trigger segment again means a new occurrence of the group (found one level up).
            var from = Math.Max(frame.Index, level > 0 ? 1 : 0);
            var j = IndexOf(keys, tag, from);
            if (j < 0)
            {
                continue;
            }
            var children = frame.Node.Children;
            var child = children[j];
            if (j == frame.Index && frame.Count >= child.MaxRepeat && LaterPosition(keys, j, tag) is var later and > 0)
            {
                // The same tag further on (UNS+D ... UNS+S): take that position rather than a repetition.
                j = later;
                child = children[j];
            }
            // Commit: close the inner groups, reporting their mandatory leftovers.
            for (var close = _depth - 1; close > level; close--)
            {
                ReportMissingAfter(_stack[close], report);
                _stack[close] = default;
                _depth--;
            }
            var mandatory = frame.Node.MandatoryBefore;
            for (var k = frame.Index + 1; k < j && mandatory[j] != mandatory[k]; k++)
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
                    Push(node, index: 0, count: 1);
                    node = node.Children[0];
                }
            }
            return true;
        }
        return false;
    }

    /// <summary>End of message: every mandatory entry not yet seen is reported.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void End(Report report)
    {
        for (var close = _depth - 1; close >= 0; close--)
        {
            ReportMissingAfter(_stack[close], report);
            _stack[close] = default;
        }
        _depth = 0;
    }

    private static int LaterPosition(int[] keys, int from, int tag) => IndexOf(keys, tag, from + 1);

    // Children lists are short (a handful to a few dozen): a plain loop beats a vectorized search's set-up.
    private static int IndexOf(int[] keys, int tag, int from)
    {
        for (var k = from; k < keys.Length; k++)
        {
            if (keys[k] == tag)
            {
                return k;
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReportMissingAfter(in Frame frame, Report report)
    {
        var children = frame.Node.Children;
        var mandatory = frame.Node.MandatoryBefore;
        for (var k = frame.Index + 1; k < children.Count && mandatory[children.Count] != mandatory[k]; k++)
        {
            if (children[k].Mandatory)
            {
                report(SyntaxError.Missing, children[k].TriggerTag, $"mandatory {Describe(children[k])} is missing");
            }
        }
    }

    private static string Describe(StructureNode node) =>
        node.IsGroup ? $"segment group {node.Name} (starting with {node.TriggerTag})" : $"segment {node.Name}";

    /// <summary>An open group: its node, its children's trigger keys, the current child and how often it occurred.</summary>
    private struct Frame(StructureNode node, int[] keys, int index, int count)
    {
        public readonly StructureNode Node = node;
        public readonly int[] Keys = keys;
        public int Index = index;
        public int Count = count;
    }
}
