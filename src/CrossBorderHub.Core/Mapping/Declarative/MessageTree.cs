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
        var top = new GroupInstance(root);
        var stack = new List<(GroupInstance Group, int Next)> { (top, 0) };
        foreach (var segment in body)
        {
            while (true)
            {
                var (group, next) = stack[^1];
                var children = group.Node.Children;
                var at = -1;
                for (var k = next; k < children.Count; k++)
                {
                    if (children[k].TriggerTag == segment.Tag)
                    {
                        at = k;
                        break;
                    }
                }
                if (at >= 0)
                {
                    stack[^1] = (group, at);
                    if (children[at].IsGroup)
                    {
                        var instance = new GroupInstance(children[at]);
                        instance.Segments.Add(segment);
                        group.Groups.Add(instance);
                        stack.Add((instance, 1));
                    }
                    else
                    {
                        group.Segments.Add(segment);
                    }
                    break;
                }
                if (stack.Count == 1)
                {
                    top.Segments.Add(segment);
                    break;
                }
                stack.RemoveAt(stack.Count - 1);
            }
        }
        return top;
    }
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
