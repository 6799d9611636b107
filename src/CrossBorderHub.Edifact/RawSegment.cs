using System.Runtime.CompilerServices;
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
    private byte[] _buffer = [];

    // Index of the first value of each data element: built on first use (envelope segments, findings), never by
    // the reader, which would pay for it on every element of every segment.
    // Allocated on first use too: a window's batch holds thousands of segments, most never asked for it.
    private int[] _elementFirst = [];
    private bool _elementIndexBuilt;

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
    public int ElementCount => ValueCount == 0 ? 0 : _store.Values[_firstValue + ValueCount - 1].Element;

    public ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>The segment from the first tag byte through the terminator.</summary>
    public ReadOnlySpan<byte> Raw
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _buffer.AsSpan(RawStart, RawEnd - RawStart);
    }

    /// <summary>Bytes between the previous segment and this one (CR/LF, a BOM before the first segment).</summary>
    public ReadOnlySpan<byte> LeadingLayout => _buffer.AsSpan(LayoutStart, RawStart - LayoutStart);

    public ReadOnlySpan<ValueRef> Values
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _store.Values.AsSpan(_firstValue, ValueCount);
    }

    /// <summary>The tag value (component 0 of element 0).</summary>
    public ReadOnlySpan<byte> TagSpan
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ValueCount == 0 ? default : Span(_store.Values[_firstValue]);
    }

    public string Tag => Encoding.Latin1.GetString(TagSpan);

    public bool IsTag(ReadOnlySpan<byte> tag) => TagSpan.SequenceEqual(tag);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Span(in ValueRef value) => _buffer.AsSpan(value.Start, value.Length);

    public long OffsetOf(in ValueRef value) => BufferOffset + value.Start;

    /// <summary>Index in <see cref="Values"/> of the first value of data element <paramref name="element"/>, or -1.</summary>
    public int FirstValueIndex(int element)
    {
        if (element < 0 || element > ElementCount)
        {
            return -1;
        }
        if (!_elementIndexBuilt)
        {
            BuildElementIndex();
        }
        return _elementFirst[element];
    }

    private void BuildElementIndex()
    {
        var count = ElementCount;
        if (_elementFirst.Length <= count)
        {
            _elementFirst = new int[Math.Max(count + 1, Math.Max(16, _elementFirst.Length * 2))];
        }
        var values = Values;
        var next = 0;
        for (var i = 0; i < values.Length; i++)
        {
            // Values come in element order; an element that has no value of its own starts where the next one does.
            for (; next <= values[i].Element; next++)
            {
                _elementFirst[next] = i;
            }
        }
        _elementIndexBuilt = true;
    }

    /// <summary>The value at element/component (occurrence 0), or null when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        _elementIndexBuilt = false;
        _firstValue = _store.ValueCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(in ValueRef value)
    {
        _store.AddValue(value);
        ValueCount++;
    }

    /// <summary>Ends a segment whose values the reader wrote straight into the store (from the first value on).</summary>
    internal void SetValues(int firstValue, int count)
    {
        _firstValue = firstValue;
        ValueCount = count;
        _elementIndexBuilt = false;
    }

    /// <summary>A copy that stays valid after the next read (for the in-memory model).</summary>
    public byte[] CopyRaw() => Raw.ToArray();
}

/// <summary>The shared array behind a batch of <see cref="RawSegment"/>s; cleared when the batch is re-filled.</summary>
internal sealed class SegmentStore
{
    public ValueRef[] Values = new ValueRef[1024];
    public int ValueCount;

    public void Clear() => ValueCount = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
}
