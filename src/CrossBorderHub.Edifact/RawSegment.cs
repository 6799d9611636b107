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
    private ValueRef[] _values = new ValueRef[64];
    private int[] _elementFirst = new int[32];
    private byte[] _buffer = [];

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

    public ReadOnlySpan<ValueRef> Values => _values.AsSpan(0, ValueCount);

    /// <summary>The tag value (component 0 of element 0).</summary>
    public ReadOnlySpan<byte> TagSpan => ValueCount == 0 ? default : Span(_values[0]);

    public string Tag => Encoding.Latin1.GetString(TagSpan);

    public bool IsTag(ReadOnlySpan<byte> tag) => TagSpan.SequenceEqual(tag);

    public ReadOnlySpan<byte> Span(in ValueRef value) => _buffer.AsSpan(value.Start, value.Length);

    public long OffsetOf(in ValueRef value) => BufferOffset + value.Start;

    /// <summary>Index in <see cref="Values"/> of the first value of data element <paramref name="element"/>, or -1.</summary>
    public int FirstValueIndex(int element) => element <= ElementCount ? _elementFirst[element] : -1;

    /// <summary>The value at element/component (occurrence 0), or null when absent.</summary>
    public ValueRef? Find(int element, int component, int repetition = 0)
    {
        var i = FirstValueIndex(element);
        if (i < 0)
        {
            return null;
        }
        for (; i < ValueCount && _values[i].Element == element; i++)
        {
            if (_values[i].Component == component && _values[i].Repetition == repetition)
            {
                return _values[i];
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

    internal void Reset(byte[] buffer, long bufferOffset, Delimiters delimiters)
    {
        _buffer = buffer;
        BufferOffset = bufferOffset;
        Delimiters = delimiters;
        ValueCount = 0;
        ElementCount = 0;
        _elementFirst[0] = 0;
    }

    internal void Add(in ValueRef value)
    {
        if (ValueCount == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        if (value.Element > ElementCount)
        {
            if (value.Element >= _elementFirst.Length)
            {
                Array.Resize(ref _elementFirst, Math.Max(_elementFirst.Length * 2, value.Element + 1));
            }
            for (var e = ElementCount + 1; e <= value.Element; e++)
            {
                _elementFirst[e] = ValueCount;
            }
            ElementCount = value.Element;
        }
        _values[ValueCount++] = value;
    }

    /// <summary>A copy that stays valid after the next read (for the in-memory model).</summary>
    public byte[] CopyRaw() => Raw.ToArray();
}
