using System.Runtime.CompilerServices;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>Representation of a value: alphabetic, numeric or alphanumeric, with its length bounds.</summary>
public enum ValueKind : byte
{
    An,
    A,
    N,
}

/// <summary>A simple (or component) data element in a segment or composite: "3299 C an..3".</summary>
public sealed record ValueSpec(string Id, string Name, bool Mandatory, ValueKind Kind, int MinLength, int MaxLength)
{
    /// <summary>The code list of this element in the directory it belongs to (set when the directory is loaded).</summary>
    public CodeSet? Codes { get; set; }

    /// <summary>Parses "an..35", "n3", "a1": ".." means variable up to the length, none means exactly.</summary>
    public static (ValueKind Kind, int Min, int Max) ParseFormat(string format)
    {
        var kind = format.StartsWith("an", StringComparison.Ordinal) ? ValueKind.An
            : format.StartsWith('a') ? ValueKind.A : ValueKind.N;
        var digits = format.TrimStart('a', 'n');
        var variable = digits.StartsWith("..", StringComparison.Ordinal);
        var max = int.TryParse(digits.TrimStart('.'), out var m) ? m : 512;
        return (kind, variable ? 0 : max, max);
    }
}

/// <summary>A stand-alone or composite data element at one position of a segment, with its repeat count.</summary>
public sealed record ElementSpec(string Id, string Name, bool Mandatory, int Repeat, ValueSpec? Simple, ValueSpec[]? Components)
{
    public bool IsComposite => Components is not null;

    /// <summary>Bit c set when component c (0-based, first 64) is mandatory.</summary>
    public ulong MandatoryComponents { get; } = Mask(Components?.Select(c => c.Mandatory));

    /// <summary>A composite with a code list qualifier (1131) or responsible agency (3055): its codes may be another agency's.</summary>
    public bool NamesItsCodeList { get; } = Components?.Any(c => c.Id is "3055" or "1131") == true;

    internal static ulong Mask(IEnumerable<bool>? flags)
    {
        ulong mask = 0;
        var i = 0;
        foreach (var flag in flags ?? [])
        {
            if (flag && i < 64)
            {
                mask |= 1UL << i;
            }
            i++;
        }
        return mask;
    }
}

public sealed record SegmentSpec(string Tag, string Name, ElementSpec[] Elements)
{
    /// <summary>Bit e-1 set when data element e (first 64) is mandatory.</summary>
    public ulong MandatoryElements { get; } = ElementSpec.Mask(Elements.Select(e => e.Mandatory));
}

/// <summary>A node of a message's segment table: a segment, or a segment group whose first child is its trigger.</summary>
public sealed class StructureNode
{
    public StructureNode(string name, bool mandatory, int maxRepeat, bool isGroup)
    {
        Name = name;
        Mandatory = mandatory;
        MaxRepeat = maxRepeat;
        IsGroup = isGroup;
    }

    /// <summary>Segment tag, or group name ("SG1").</summary>
    public string Name { get; }

    public bool Mandatory { get; }

    public int MaxRepeat { get; }

    public bool IsGroup { get; }

    public List<StructureNode> Children { get; } = [];

    /// <summary>The tag that starts this node: the segment itself, or a group's first segment.</summary>
    public string TriggerTag => IsGroup ? (Children.Count > 0 ? Children[0].TriggerTag : "") : Name;

    private int _triggerKey = int.MinValue;

    /// <summary><see cref="TriggerTag"/> as a <see cref="TagKey"/> (computed once the tree is complete).</summary>
    public int TriggerKey => _triggerKey != int.MinValue ? _triggerKey : (_triggerKey = TagKey.Of(TriggerTag));

    private int[]? _childKeys;

    /// <summary>The children's <see cref="TriggerKey"/>s in order (computed once the tree is complete): a vectorized search.</summary>
    internal int[] ChildKeys => _childKeys ??= Children.Select(c => c.TriggerKey).ToArray();

    private int[]? _mandatoryBefore;

    /// <summary>
    /// Entry k: how many of the children before k are mandatory (Count + 1 entries, computed once the tree is
    /// complete), so the structure matcher learns in O(1) that a stretch of skipped children holds none.
    /// </summary>
    internal int[] MandatoryBefore => _mandatoryBefore ??= CountMandatory();

    private int[] CountMandatory()
    {
        var counts = new int[Children.Count + 1];
        for (var k = 0; k < Children.Count; k++)
        {
            counts[k + 1] = counts[k] + (Children[k].Mandatory ? 1 : 0);
        }
        return counts;
    }
}

/// <summary>A message type's structure, UNH and UNT excluded (the envelope checks those).</summary>
public sealed record MessageSpec(string Type, StructureNode Root);

/// <summary>
/// A code list for fast membership tests on raw bytes: codes of up to 8 bytes are packed in a ulong set (no
/// allocation per lookup); longer codes go to a string set.
/// </summary>
public sealed class CodeSet
{
    // Open addressing over packed codes (length in the top byte, so no packed code is 0 = empty slot).
    private readonly ulong[] _table;
    private readonly int _shift;
    private readonly HashSet<string> _long = new(StringComparer.Ordinal);

    public CodeSet(IEnumerable<string> codes)
    {
        var packed = new List<ulong>();
        foreach (var code in codes)
        {
            if (code.Length is > 0 and <= 7 && code.All(c => c < 128))
            {
                packed.Add(Pack(System.Text.Encoding.ASCII.GetBytes(code)));
            }
            else
            {
                _long.Add(code);
            }
        }
        var bits = Math.Max(4, System.Numerics.BitOperations.Log2((uint)Math.Max(1, packed.Count)) + 2);
        _table = new ulong[1 << bits];
        _shift = 64 - bits;
        foreach (var key in packed.Distinct())
        {
            var i = Slot(key);
            while (_table[i] != 0)
            {
                i = (i + 1) & (_table.Length - 1);
            }
            _table[i] = key;
        }
        Count = packed.Distinct().Count() + _long.Count;
    }

    public int Count { get; }

    /// <summary>True when the unescaped value <paramref name="value"/> is a code of this list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 7)
        {
            return value.Length > 7 && _long.Contains(System.Text.Encoding.Latin1.GetString(value));
        }
        var key = Pack(value);
        var i = Slot(key);
        while (true)
        {
            var slot = _table[i];
            if (slot == key)
            {
                return true;
            }
            if (slot == 0)
            {
                return false;
            }
            i = (i + 1) & (_table.Length - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pack(ReadOnlySpan<byte> bytes)
    {
        ulong key = (ulong)bytes.Length << 56;
        for (var i = 0; i < bytes.Length; i++)
        {
            key |= (ulong)bytes[i] << (i * 8);
        }
        return key;
    }
}
