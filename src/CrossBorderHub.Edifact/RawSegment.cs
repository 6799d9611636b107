using System.Text;

namespace CrossBorderHub.Edifact;

/// <summary>One value of a segment: where it is (data element, occurrence, component) and its raw bytes.</summary>
public readonly record struct ValueRef(int Element, int Repetition, int Component, int Start, int Length, bool HasRelease);

/// <summary>
/// One segment as read, valid until the next read: its tag, every value with its position, the raw bytes and
/// offsets. Reused by <see cref="EdifactSegmentReader"/> so reading allocates nothing per segment.
/// </summary>
public sealed class RawSegment
{
    // Values and per-element indexes live in arrays shared by a whole batch of segments (cache friendly: a window
    // of thousands of segments touches one contiguous array, not thousands of small ones).
    private readonly SegmentStore _store;
    private int _firstValue;
    private int _firstElement;
    private byte[] _buffer = [];

    public RawSegment()
        : this(new SegmentStore())
    {
    }

    internal RawSegment(SegmentStore store)
    {
        _store = store;
    }

    public int SegmentNumber { get; internal set; }

    /// <summary>Absolute offset of the tag's first byte.</summary>
    public long Offset { get; internal set; }

    /// <summary>Absolute offset of the buffer start (value offsets are <c>BufferOffset + Start</c>).</summary>
    public long BufferOffset { get; internal set; }

    public Delimiters Delimiters { get; internal set; }

    /// <summary>False when the data ended before the segment terminator.</summary>
    public bool Terminated { get; internal set; }

    public int RawStart { get; internal set; }

    public int RawEnd { get; internal set; }

    public int LayoutStart { get; internal set; }

    public int ValueCount { get; private set; }

    /// <summary>Number of data elements after the tag (0 for a tag-only segment).</summary>
    public int ElementCount { get; private set; }

    public ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>The segment from the first tag byte through the terminator.</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(RawStart, RawEnd - RawStart);

    /// <summary>Bytes between the previous segment and this one (CR/LF, a BOM before the first segment).</summary>
    public ReadOnlySpan<byte> LeadingLayout => _buffer.AsSpan(LayoutStart, RawStart - LayoutStart);

    public ReadOnlySpan<ValueRef> Values => _store.Values.AsSpan(_firstValue, ValueCount);

    /// <summary>The tag value (component 0 of element 0).</summary>
    public ReadOnlySpan<byte> TagSpan => ValueCount == 0 ? default : Span(_store.Values[_firstValue]);

    public string Tag => Encoding.Latin1.GetString(TagSpan);

    public bool IsTag(ReadOnlySpan<byte> tag) => TagSpan.SequenceEqual(tag);

    public ReadOnlySpan<byte> Span(in ValueRef value) => _buffer.AsSpan(value.Start, value.Length);

    public long OffsetOf(in ValueRef value) => BufferOffset + value.Start;

    /// <summary>Index in <see cref="Values"/> of the first value of data element <paramref name="element"/>, or -1.</summary>
    public int FirstValueIndex(int element) => element <= ElementCount ? _store.ElementFirst[_firstElement + element] : -1;

    /// <summary>The value at element/component (occurrence 0), or null when absent.</summary>
    public ValueRef? Find(int element, int component, int repetition = 0)
    {
        var i = FirstValueIndex(element);
        if (i < 0)
        {
            return null;
        }
        var values = Values;
        for (; i < values.Length && values[i].Element == element; i++)
        {
            if (values[i].Component == component && values[i].Repetition == repetition)
            {
                return values[i];
            }
        }
        return null;
    }

    /// <summary>The unescaped value at element/component decoded as Latin-1, "" when absent.</summary>
    public string GetString(int element, int component = 0, EdifactCharset? charset = null)
    {
        var v = Find(element, component);
        return v is { } value ? EdifactText.Decode(Span(value), Delimiters.Release, charset ?? EdifactCharset.Default) : "";
    }

    /// <summary>Starts a segment whose values are appended after everything already in the store.</summary>
    internal void Reset(byte[] buffer, long bufferOffset, Delimiters delimiters)
    {
        if (!ReferenceEquals(_buffer, buffer))
        {
            _buffer = buffer; // a reference store costs a GC write barrier: only when the window was reallocated
        }
        BufferOffset = bufferOffset;
        Delimiters = delimiters;
        ValueCount = 0;
        ElementCount = 0;
        _firstValue = _store.ValueCount;
        _firstElement = _store.ElementCount;
        _store.AddElementFirst(0);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Add(in ValueRef value)
    {
        if (value.Element > ElementCount)
        {
            AddElements(value.Element);
        }
        _store.AddValue(value);
        ValueCount++;
    }

    private void AddElements(int element)
    {
        for (var e = ElementCount + 1; e <= element; e++)
        {
            _store.AddElementFirst(ValueCount);
        }
        ElementCount = element;
    }

    /// <summary>A copy that stays valid after the next read (for the in-memory model).</summary>
    public byte[] CopyRaw() => Raw.ToArray();
}

/// <summary>The shared arrays behind a batch of <see cref="RawSegment"/>s; cleared when the batch is re-filled.</summary>
internal sealed class SegmentStore
{
    public ValueRef[] Values = new ValueRef[1024];
    public int[] ElementFirst = new int[512];
    public int ValueCount;
    public int ElementCount;

    public void Clear()
    {
        ValueCount = 0;
        ElementCount = 0;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void AddValue(in ValueRef value)
    {
        var values = Values;
        var count = ValueCount;
        if ((uint)count < (uint)values.Length)
        {
            values[count] = value;
            ValueCount = count + 1;
            return;
        }
        Grow(value);
    }

    private void Grow(in ValueRef value)
    {
        Array.Resize(ref Values, Values.Length * 2);
        Values[ValueCount++] = value;
    }

    public void AddElementFirst(int index)
    {
        if (ElementCount == ElementFirst.Length)
        {
            Array.Resize(ref ElementFirst, ElementFirst.Length * 2);
        }
        ElementFirst[ElementCount++] = index;
    }
}
