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
public ref partial struct EdifactReader
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
    // Element, repetition and component index packed in one word (see Advance): a token updates them without a
    // branch on its kind, in one register. Each field holds 2^21 values at least; once one reaches 2^20 (only in a
    // segment of megabytes), the reader goes "wide" until the next tag: exact int indexes, every token on the slow
    // path. The check runs once per 64-byte block, and a block adds at most 64 to a field.
    private ulong _position;
    private bool _wide;
    private int _wideElement, _wideRepetition, _wideComponent;
    private ulong _wideMask; // the index while wide: _mask stays 0 so that every Read takes the slow path

    // UNA is not tokenized with its own separators: these mark its synthetic tokens.
    private int _unaStep;
    private bool _terminated;

    private EdifactTokenType _tokenType;
    private int _tokenStart;
    // End (exclusive) of the current value; for SegmentEnd, the terminator's position (its ValueLength is 0).
    private int _valueEnd;

    // The structural index: bit i of _mask = unreleased separator at _blockBase + i, not yet consumed.
    private int _blockBase;
    private int _scanEnd;
    private ulong _mask;
    private bool _carryEscape;
    private byte _component8, _element8, _segment8, _release8, _repetition8;
    // The first entry of the separator-kind table (KindTable), held as a ref: the per-token lookup needs no null
    // check and no array header, and the ref keeps the table alive.
    private ref byte _kindsRef;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a constructor call would take the reader's address, see ReadSlowOnCopy
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
        _position = Pack(state.ElementIndex, state.RepetitionIndex, state.ComponentIndex);
        if (state.ElementIndex >= 1 << 20 || state.RepetitionIndex >= 1 << 20 || state.ComponentIndex >= 1 << 20)
        {
            _position = WideGuard;
            _wide = true;
            _wideElement = state.ElementIndex;
            _wideRepetition = state.RepetitionIndex;
            _wideComponent = state.ComponentIndex;
        }
        if (_delimitersKnown)
        {
            PrepareDelimiters();
        }
    }

    public readonly EdifactTokenType TokenType => _tokenType;

    /// <summary>The raw bytes of the current value (release characters still in place). Empty for SegmentEnd.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _buffer.Slice(_tokenStart, _valueEnd - _tokenStart);

    /// <summary>Length in bytes of <see cref="ValueSpan"/>.</summary>
    public readonly int ValueLength => _valueEnd - _tokenStart;

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
    public readonly int ElementIndex => _wide ? _wideElement : (int)(_position >> ElementShift);

    /// <summary>0-based component position within the data element.</summary>
    public readonly int ComponentIndex => _wide ? _wideComponent : (int)(_position & FieldMask);

    /// <summary>0-based occurrence of a repeating data element (syntax 4).</summary>
    public readonly int RepetitionIndex => _wide ? _wideRepetition : (int)((_position >> RepetitionShift) & FieldMask);

    /// <summary>For SegmentEnd: false when the data ended without a segment terminator.</summary>
    public readonly bool SegmentTerminated => _terminated;

    public readonly Delimiters Delimiters => _delimiters;

    public readonly bool DelimitersKnown => _delimitersKnown;

    public readonly EdifactReaderState CurrentState => new(_delimiters, _delimitersKnown, _offset + _pos, _segmentNumber,
        _unaStep != 0 ? EdifactTokenType.None : _next, ElementIndex, ComponentIndex, RepetitionIndex, _started);

    /// <summary>Advances to the next token. False at the end of the data, or when a non-final block needs more bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read()
    {
        var next = _next;
        if (next == EdifactTokenType.SegmentEnd)
        {
            _tokenType = EdifactTokenType.SegmentEnd;
            _tokenStart = _valueEnd;
            _next = EdifactTokenType.None;
            return true;
        }
        // An empty index: scan the next block here; anything unusual (UNA, unknown delimiters, end of buffer) goes slow.
        if (_mask == 0 && !RefillFullBlocks())
        {
            return ReadSlowOnCopy();
        }
        // Hot path: the end of this value is already in the structural index.
        var d = _blockBase + BitOperations.TrailingZeroCount(_mask);
        _mask &= _mask - 1;
        var start = _pos;
        Advance(next);
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
        }
        _tokenType = next;
        _tokenStart = start;
        Classify(d);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Classify(int d)
    {
        // What follows depends on the separator: a table lookup instead of a chain of unpredictable compares.
        var b = Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), d);
        _pos = d + 1;
        _valueEnd = d;
        _next = (EdifactTokenType)Unsafe.Add(ref _kindsRef, b);
    }

    /// <summary>
    /// Scans whole 64-byte blocks until the index holds a separator. False when the rest is shorter than a block, or
    /// the delimiters or a UNA are still being read: the slow path handles those.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RefillFullBlocks()
    {
        if (_unaStep != 0 || !_delimitersKnown || (_position & WideGuard) != 0)
        {
            return false;
        }
        do
        {
            var start = _scanEnd;
            if (_buffer.Length - start < BlockSize)
            {
                return false;
            }
            // A local, not the field, is passed by reference: a reference to any field would pin the whole reader
            // in memory in the caller's loop.
            var carry = _carryEscape;
            _mask = StructuralIndex.Block(_buffer, start, BlockSize, _component8, _element8, _segment8, _repetition8, _release8, ref carry, out _);
            _carryEscape = carry;
            _blockBase = start;
            _scanEnd = start + BlockSize;
        }
        while (_mask == 0);
        return true;
    }

    /// <summary>
    /// The slow path runs on a copy of the reader, copied back after. Calling it on this reader directly would take
    /// the reader's address, and the JIT then keeps every field of it in memory in the caller's loop instead of in
    /// registers (half the tokenizer's speed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadSlowOnCopy()
    {
        var copy = this;
        var result = copy.ReadSlow();
        this = copy;
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReadSlow()
    {
        if (!_wide && (_position & WideGuard) == 0)
        {
            return ReadToken();
        }
        if (!_wide)
        {
            _wide = true;
            _wideElement = (int)(_position >> ElementShift);
            _wideRepetition = (int)((_position >> RepetitionShift) & FieldMask);
            _wideComponent = (int)(_position & FieldMask);
            _wideMask = _mask;
        }
        _mask = _wideMask;
        var result = ReadToken();
        if (_tokenType == EdifactTokenType.SegmentTag && result)
        {
            // The indexes start again at 0 with each segment: back to the packed word and the hot path.
            _wide = false;
            _position = 0;
            return true;
        }
        _wideMask = _mask;
        _mask = 0;
        return result;
    }

    /// <summary>The next token, or false at the end (or, for a non-final block, where more bytes are needed).</summary>
    private bool ReadToken()
    {
        if (_unaStep != 0)
        {
            return ReadUnaPart();
        }
        if (_next == EdifactTokenType.SegmentEnd)
        {
            _tokenType = EdifactTokenType.SegmentEnd;
            _tokenStart = _valueEnd;
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
        if (_wide)
        {
            AdvanceWide(_next);
        }
        else
        {
            Advance(_next);
        }
        if (isTag)
        {
            _segmentNumber++;
        }
        _tokenType = type;
        _tokenStart = start;
        if (d < 0)
        {
            // Final block without a terminator: the rest is the last value of an unterminated segment.
            _valueEnd = _buffer.Length;
            _pos = _buffer.Length;
            _terminated = false;
            _next = EdifactTokenType.SegmentEnd;
            return true;
        }
        Classify(d);
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

    /// <summary>The current value unescaped (release characters removed) and decoded with <paramref name="charset"/>.</summary>
    public readonly string GetString(EdifactCharset? charset = null) =>
        EdifactText.Decode(ValueSpan, _unaStep == 3 ? (byte)0 : _delimiters.Release, charset ?? EdifactCharset.Default);

    /// <summary>True when the current value (unescaped) equals <paramref name="ascii"/>.</summary>
    public readonly bool ValueEquals(ReadOnlySpan<byte> ascii) =>
        !ValueHasRelease ? ValueSpan.SequenceEqual(ascii) : GetString() == System.Text.Encoding.ASCII.GetString(ascii);
}
