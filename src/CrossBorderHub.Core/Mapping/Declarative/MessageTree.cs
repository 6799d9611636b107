using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>One instance of a segment group in a message (or the message itself): its segments and nested groups in order.</summary>
internal sealed class GroupInstance(StructureNode node)
{
    public StructureNode Node { get; } = node;

    public List<Segment> Segments { get; } = [];

    public List<GroupInstance> Groups { get; } = [];

    /// <summary>
    /// Places a message's body segments into the segment groups of its structure: a segment goes to the first place
    /// at or after the current one in the current group whose trigger it is, else the group closes and its parent
    /// tries. A segment the structure has no place for stays at the top level (the validator reports it, not us).
    /// </summary>
    public static GroupInstance Build(StructureNode root, IEnumerable<Segment> body)
    {
        var builder = new GroupBuilder(root);
        foreach (var segment in body)
        {
            builder.Add(segment.Tag, _ => segment);
        }
        return builder.Top;
    }
}

/// <summary>
/// Builds a message's group tree one segment at a time while the interchange streams by. The segment's place is found
/// from its tag alone, and only then is it parsed, by <c>parse</c> with the group it lands in: a mapping parses the
/// segments its rules read and keeps a tag-only stand-in for the others (most of a large message's detail).
/// </summary>
internal sealed class GroupBuilder(StructureNode root)
{
    private readonly List<(GroupInstance Group, int Next)> _stack = [(new GroupInstance(root), 0)];

    public GroupInstance Top => _stack[0].Group;

    public void Add<TState>(string tag, TState state, Func<TState, StructureNode, Segment> parse)
    {
        while (true)
        {
            var (group, next) = _stack[^1];
            var children = group.Node.Children;
            var at = -1;
            for (var k = next; k < children.Count; k++)
            {
                if (children[k].TriggerTag == tag)
                {
                    at = k;
                    break;
                }
            }
            if (at >= 0)
            {
                _stack[^1] = (group, at);
                if (children[at].IsGroup)
                {
                    var instance = new GroupInstance(children[at]);
                    instance.Segments.Add(parse(state, children[at]));
                    group.Groups.Add(instance);
                    _stack.Add((instance, 1));
                }
                else
                {
                    group.Segments.Add(parse(state, group.Node));
                }
                return;
            }
            if (_stack.Count == 1)
            {
                group.Segments.Add(parse(state, group.Node));
                return;
            }
            _stack.RemoveAt(_stack.Count - 1);
        }
    }

    public void Add(string tag, Func<StructureNode, Segment> parse) => Add(tag, parse, static (p, node) => p(node));
}

/// <summary>Where EDIFACT paths are evaluated: a group instance, and the segment a foreach over segments stands on.</summary>
internal readonly record struct EdifactContext(GroupInstance Group, Segment? Focus)
{
    /// <summary>The contexts a foreach path yields: each group instance, or each matching segment (in its group).</summary>
    public IEnumerable<EdifactContext> Each(EdifactPath path)
    {
        foreach (var group in Walk(Group, path.Groups, 0))
        {
            if (path.Tag is null)
            {
                yield return new(group, null);
                continue;
            }
            foreach (var segment in Matching(group, path))
            {
                yield return new(group, segment);
            }
        }
    }

    /// <summary>The first non-empty value at <paramref name="path"/>, with the segment it came from.</summary>
    public (string Value, Segment Segment)? Value(EdifactPath path)
    {
        var slot = path.Slot!.Value;
        var focus = path.Groups.Length == 0 && Focus is { } f && f.Tag == path.Tag ? f : null;
        foreach (var group in focus is null ? Walk(Group, path.Groups, 0) : [Group])
        {
            foreach (var segment in focus is null ? Matching(group, path) : Matches(focus, path) ? [focus] : [])
            {
                var value = segment.Get(slot.Position, slot.Component);
                if (value.Length > 0)
                {
                    return (value, segment);
                }
            }
        }
        return null;
    }

    private static IEnumerable<GroupInstance> Walk(GroupInstance group, string[] steps, int i)
    {
        if (i == steps.Length)
        {
            yield return group;
            yield break;
        }
        foreach (var child in group.Groups)
        {
            if (child.Node.Name == steps[i])
            {
                foreach (var found in Walk(child, steps, i + 1))
                {
                    yield return found;
                }
            }
        }
    }

    private static IEnumerable<Segment> Matching(GroupInstance group, EdifactPath path)
    {
        foreach (var segment in group.Segments)
        {
            if (segment.Tag == path.Tag && Matches(segment, path))
            {
                yield return segment;
            }
        }
    }

    private static bool Matches(Segment segment, EdifactPath path)
    {
        foreach (var q in path.Qualifiers)
        {
            if (!q.Values.Contains(segment.Get(q.Slot.Position, q.Slot.Component)))
            {
                return false;
            }
        }
        return true;
    }
}
