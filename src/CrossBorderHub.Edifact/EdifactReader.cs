using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Forward-only, allocation-free tokenizer over UN/EDIFACT bytes, in the spirit of <c>Utf8JsonReader</c>.
/// Each <see cref="Read"/> yields one token (segment tag, element/component/repetition value, segment end) with its
/// raw <see cref="ValueSpan"/> (still escaped) and its absolute offset.
/// <para>
/// Separators are found 64 bytes at a time (simdjson's structural-index idea): the block is compared against every
/// delimiter at once, giving a bit mask of separator positions; release characters clear the bit of the byte they
/// escape (a rare, scalar fix-up); each <see cref="Read"/> then only pops the lowest bit. EDIFACT values are ~5
/// bytes long, so this is several times faster than an IndexOfAny call per token.
/// </para>
/// For a stream, read chunk by chunk: when <see cref="Read"/> returns false and the block is not final, keep the
/// bytes from <see cref="BytesConsumed"/>, append more and continue with a reader built from <see cref="CurrentState"/>.
/// </summary>
public ref struct EdifactReader
{
    private const int BlockSize = StructuralIndex.BlockSize;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private readonly long _offset;

    private Delimiters _delimiters;
    private bool _delimitersKnown;
    private bool _started;
    private int _pos;
    private int _segmentNumber;
    private EdifactTokenType _next;
    private int _element;
    private int _component;
    private int _repetition;

    // UNA is not tokenized with its own separators: these mark its synthetic tokens.
    private int _unaStep;
    private int _terminatorPos;
    private bool _terminated;

    private EdifactTokenType _tokenType;
    private int _tokenStart;
    private int _valueLength;

    // The structural index: bit i of _mask = unreleased separator at _blockBase + i, not yet consumed.
    private int _blockBase;
    private int _scanEnd;
    private ulong _mask;
    private bool _carryEscape;
    private byte _component8, _element8, _segment8, _release8, _repetition8;
    // The first entry of the separator-kind table (KindTable), held as a ref: the per-token lookup needs no null
    // check and no array header, and the ref keeps the table alive.
    private ref byte _kindsRef;

    public EdifactReader(ReadOnlySpan<byte> data, bool isFinalBlock = true, EdifactReaderState state = default)
    {
        _buffer = data;
        _isFinalBlock = isFinalBlock;
        _terminated = true;
        _offset = state.Offset;
        _delimiters = state.Delimiters;
        _delimitersKnown = state.DelimitersKnown;
        _started = state.Started;
        _segmentNumber = state.SegmentNumber;
        _next = state.Next;
        _element = state.ElementIndex;
        _component = state.ComponentIndex;
        _repetition = state.RepetitionIndex;
        if (_delimitersKnown)
        {
            PrepareDelimiters();
        }
    }

    public readonly EdifactTokenType TokenType => _tokenType;

    /// <summary>The raw bytes of the current value (release characters still in place). Empty for SegmentEnd.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _buffer.Slice(_tokenStart, _valueLength);

    /// <summary>Length in bytes of <see cref="ValueSpan"/>.</summary>
    public readonly int ValueLength => _valueLength;

    /// <summary>True when the current value contains a release character (so <see cref="GetString"/> must unescape).</summary>
    public readonly bool ValueHasRelease => _unaStep != 3 && _delimiters.Release != 0 && ValueSpan.IndexOf(_delimiters.Release) >= 0;

    /// <summary>Bytes of this buffer fully processed; the next reader continues from here.</summary>
    public readonly int BytesConsumed => _pos;

    /// <summary>Absolute offset (in the whole input) of the current token's first byte.</summary>
    public readonly long TokenStartOffset => _offset + _tokenStart;

    /// <summary>Offset of the current token within this buffer.</summary>
    public readonly int TokenStartIndex => _tokenStart;

    /// <summary>1-based number of the current segment in the input, UNA included when present.</summary>
    public readonly int SegmentNumber => _segmentNumber;

    /// <summary>Position of the data element in the segment (0 = the tag, 1 = first data element).</summary>
    public readonly int ElementIndex => _element;

    /// <summary>0-based component position within the data element.</summary>
    public readonly int ComponentIndex => _component;

    /// <summary>0-based occurrence of a repeating data element (syntax 4).</summary>
    public readonly int RepetitionIndex => _repetition;

    /// <summary>For SegmentEnd: false when the data ended without a segment terminator.</summary>
    public readonly bool SegmentTerminated => _terminated;

    public readonly Delimiters Delimiters => _delimiters;

    public readonly bool DelimitersKnown => _delimitersKnown;

    public readonly EdifactReaderState CurrentState => new(_delimiters, _delimitersKnown, _offset + _pos, _segmentNumber,
        _unaStep != 0 ? EdifactTokenType.None : _next, _element, _component, _repetition, _started);

    /// <summary>Advances to the next token. False at the end of the data, or when a non-final block needs more bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read()
    {
        var next = _next;
        if (next == EdifactTokenType.SegmentEnd)
        {
            _tokenType = EdifactTokenType.SegmentEnd;
            _tokenStart = _terminatorPos;
            _valueLength = 0;
            _next = EdifactTokenType.None;
            return true;
        }
        // An empty index: scan the next block here; anything unusual (UNA, unknown delimiters, end of buffer) goes slow.
        if (_mask == 0 && (_unaStep != 0 || !_delimitersKnown || !RefillIndex()))
        {
            return ReadSlow();
        }
        // Hot path: the end of this value is already in the structural index.
        var d = _blockBase + BitOperations.TrailingZeroCount(_mask);
        _mask &= _mask - 1;
        var start = _pos;
        if (next == EdifactTokenType.None)
        {
            // A tag: CR/LF between segments is skipped (bounded by the separator, which is never layout here).
            ref var origin = ref MemoryMarshal.GetReference(_buffer);
            // Layout bytes are all at or below the space: one compare settles the common case (a letter).
            while (start < d && Unsafe.Add(ref origin, start) <= (byte)' ' && Unsafe.Add(ref origin, start) is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
            {
                start++;
            }
            next = EdifactTokenType.SegmentTag;
            _segmentNumber++;
            _element = 0;
            _component = 0;
            _repetition = 0;
        }
        else if (next == EdifactTokenType.Element)
        {
            _element++;
            _component = 0;
            _repetition = 0;
        }
        else if (next == EdifactTokenType.Component)
        {
            _component++;
        }
        else
        {
            _repetition++;
            _component = 0;
        }
        _tokenType = next;
        _tokenStart = start;
        _valueLength = d - start;
        Classify(d);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Classify(int d)
    {
        // What follows depends on the separator: a table lookup instead of a chain of unpredictable compares.
        var b = Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), d);
        _pos = d + 1;
        _next = (EdifactTokenType)Unsafe.Add(ref _kindsRef, b);
        _terminatorPos = d;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReadSlow()
    {
        if (_unaStep != 0)
        {
            return ReadUnaPart();
        }
        if (_next == EdifactTokenType.SegmentEnd)
        {
            _tokenType = EdifactTokenType.SegmentEnd;
            _tokenStart = _terminatorPos;
            _valueLength = 0;
            _next = EdifactTokenType.None;
            return true;
        }
        if (!_delimitersKnown)
        {
            if (!DetectDelimiters())
            {
                return false;
            }
            if (_unaStep != 0)
            {
                return ReadUnaPart();
            }
        }
        var isTag = _next == EdifactTokenType.None;
        var start = _pos;
        if (isTag)
        {
            // CR/LF (and stray blanks) between segments are tolerated and skipped.
            var buffer = _buffer;
            while (start < buffer.Length && buffer[start] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t' && !_delimiters.IsDelimiter(buffer[start]))
            {
                start++;
            }
            _pos = start;
            if (start >= buffer.Length)
            {
                return false;
            }
        }
        var d = NextSeparator();
        if (d < 0 && !_isFinalBlock)
        {
            return false;
        }
        var type = isTag ? EdifactTokenType.SegmentTag : _next;
        switch (type)
        {
            case EdifactTokenType.SegmentTag:
                _segmentNumber++;
                _element = 0;
                _component = 0;
                _repetition = 0;
                break;
            case EdifactTokenType.Element:
                _element++;
                _component = 0;
                _repetition = 0;
                break;
            case EdifactTokenType.Component:
                _component++;
                break;
            default:
                _repetition++;
                _component = 0;
                break;
        }
        _tokenType = type;
        _tokenStart = start;
        if (d < 0)
        {
            // Final block without a terminator: the rest is the last value of an unterminated segment.
            _valueLength = _buffer.Length - start;
            _pos = _buffer.Length;
            _terminatorPos = _buffer.Length;
            _terminated = false;
            _next = EdifactTokenType.SegmentEnd;
            return true;
        }
        _valueLength = d - start;
        Classify(d);
        return true;
    }

    /// <summary>Scans blocks until the index holds a separator; false at the end of the buffer.</summary>
    private bool RefillIndex()
    {
        while (_mask == 0)
        {
            if (_scanEnd >= _buffer.Length)
            {
                return false;
            }
            ScanBlock();
        }
        return true;
    }

    /// <summary>Pops the next separator from the index, scanning further blocks when empty; -1 at the end of data.</summary>
    private int NextSeparator()
    {
        while (_mask == 0)
        {
            if (_scanEnd >= _buffer.Length)
            {
                return -1;
            }
            ScanBlock();
        }
        var d = _blockBase + BitOperations.TrailingZeroCount(_mask);
        _mask &= _mask - 1;
        return d;
    }

    /// <summary>Builds the separator mask of the next 64 bytes (fewer at the end of the buffer).</summary>
    private void ScanBlock()
    {
        var start = _scanEnd;
        var length = Math.Min(BlockSize, _buffer.Length - start);
        _mask = StructuralIndex.Block(_buffer, start, length, _component8, _element8, _segment8, _repetition8, _release8, ref _carryEscape, out _);
        _blockBase = start;
        _scanEnd = start + length;
    }

    /// <summary>Skips a BOM and layout, then takes the delimiters from UNA, or defaults chosen from how UNB starts.</summary>
    private bool DetectDelimiters()
    {
        var pos = _pos;
        var buffer = _buffer;
        if (!_started)
        {
            if (buffer.Length - pos < 3 && !_isFinalBlock)
            {
                return false;
            }
            if (buffer[pos..].StartsWith("\uFEFF"u8))
            {
                pos += 3;
            }
            _started = true;
        }
        while (pos < buffer.Length && buffer[pos] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
        {
            pos++;
        }
        _pos = pos;
        var rest = buffer[pos..];
        if (rest.Length < 10 && !_isFinalBlock)
        {
            return false;
        }
        if (rest.StartsWith("UNA"u8) && rest.Length >= 9)
        {
            _delimiters = Delimiters.FromUna(rest.Slice(3, 6));
            _unaStep = 1;
        }
        else if (rest.Length >= 4 && rest.StartsWith("UNB"u8) && rest[3] == 0x1D)
        {
            _delimiters = Delimiters.LevelB;
        }
        else if (rest.Length >= 10 && rest.StartsWith("UNB+"u8) && rest[8] == (byte)':' && rest[9] == (byte)'4')
        {
            _delimiters = Delimiters.DefaultSyntax4;
        }
        else
        {
            _delimiters = Delimiters.Default;
        }
        _delimitersKnown = true;
        PrepareDelimiters();
        return true;
    }

    private bool ReadUnaPart()
    {
        switch (_unaStep)
        {
            case 1:
                _segmentNumber++;
                _element = 0;
                _tokenType = EdifactTokenType.SegmentTag;
                _tokenStart = _pos;
                _valueLength = 3;
                _unaStep = 2;
                return true;
            case 2:
                _element = 1;
                _tokenType = EdifactTokenType.Element;
                _tokenStart = _pos + 3;
                _valueLength = 6;
                _unaStep = 3;
                return true;
            default:
                _tokenType = EdifactTokenType.SegmentEnd;
                _tokenStart = _pos + 8;
                _valueLength = 0;
                _terminated = true;
                _pos += 9;
                _scanEnd = _pos;
                _unaStep = 0;
                _next = EdifactTokenType.None;
                return true;
        }
    }

    private void PrepareDelimiters()
    {
        var d = _delimiters;
        _component8 = d.Component;
        _element8 = d.Element;
        _segment8 = d.Segment;
        // An unused release or repetition character is compared as the segment terminator again (never as NUL).
        _release8 = d.Release == 0 ? d.Segment : d.Release;
        _repetition8 = d.Repetition == 0 ? d.Segment : d.Repetition;
        _kindsRef = ref MemoryMarshal.GetArrayDataReference(KindTable(d));
        _scanEnd = _pos;
        _blockBase = _pos;
        _mask = 0;
    }

    [ThreadStatic]
    private static (Delimiters Delimiters, byte[] Table) _lastKinds;

    /// <summary>Separator byte to the kind of the value after it (cached per thread for the last delimiters).</summary>
    private static byte[] KindTable(Delimiters d)
    {
        var last = _lastKinds;
        if (last.Table is not null && last.Delimiters == d)
        {
            return last.Table;
        }
        var table = new byte[256];
        if (d.Repetition != 0)
        {
            table[d.Repetition] = (byte)EdifactTokenType.Repetition;
        }
        table[d.Component] = (byte)EdifactTokenType.Component;
        table[d.Element] = (byte)EdifactTokenType.Element;
        table[d.Segment] = (byte)EdifactTokenType.SegmentEnd;
        _lastKinds = (d, table);
        return table;
    }

    /// <summary>The current value unescaped (release characters removed) and decoded with <paramref name="charset"/>.</summary>
    public readonly string GetString(EdifactCharset? charset = null) =>
        EdifactText.Decode(ValueSpan, _unaStep == 3 ? (byte)0 : _delimiters.Release, charset ?? EdifactCharset.Default);

    /// <summary>True when the current value (unescaped) equals <paramref name="ascii"/>.</summary>
    public readonly bool ValueEquals(ReadOnlySpan<byte> ascii) =>
        !ValueHasRelease ? ValueSpan.SequenceEqual(ascii) : GetString() == System.Text.Encoding.ASCII.GetString(ascii);
}
