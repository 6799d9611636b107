using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Forward-only, allocation-free tokenizer over UN/EDIFACT bytes, in the spirit of <c>Utf8JsonReader</c>.
/// Each <see cref="Read"/> yields one token (segment tag, element/component/repetition value, segment end) with its
/// raw <see cref="ValueSpan"/> (still escaped) and its absolute offset. Separators are found 32 bytes at a time:
/// the block is compared against every delimiter at once and the resulting bit mask is walked, which is several
/// times faster than a per-token IndexOfAny on short EDIFACT values. For a stream, read chunk by chunk: when
/// <see cref="Read"/> returns false and the block is not final, keep the bytes from <see cref="BytesConsumed"/>,
/// append more and continue with a new reader built from <see cref="CurrentState"/>.
/// </summary>
public ref struct EdifactReader
{
    private const int BlockSize = 32;

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

    // UNA is not tokenized with its own separators: these mark its two synthetic tokens.
    private int _unaStep;
    private int _terminatorPos;
    private bool _terminated;

    private int _tokenStart;
    private int _valueLength;
    private bool _valueHasRelease;

    private int _blockStart;
    private uint _blockMask;
    private Vector256<byte> _v1, _v2, _v3, _v4, _v5;

    public EdifactReader(ReadOnlySpan<byte> data, bool isFinalBlock = true, EdifactReaderState state = default)
    {
        _buffer = data;
        _isFinalBlock = isFinalBlock;
        _offset = state.Offset;
        _delimiters = state.Delimiters;
        _delimitersKnown = state.DelimitersKnown;
        _started = state.Started;
        _segmentNumber = state.SegmentNumber;
        _next = state.Next;
        _element = state.ElementIndex;
        _component = state.ComponentIndex;
        _repetition = state.RepetitionIndex;
        _blockStart = int.MinValue / 2;
        if (_delimitersKnown)
        {
            PrepareVectors();
        }
    }

    private EdifactTokenType _tokenType;

    public readonly EdifactTokenType TokenType => _tokenType;

    /// <summary>The raw bytes of the current value (release characters still in place). Empty for SegmentEnd.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _buffer.Slice(_tokenStart, _valueLength);

    /// <summary>True when the current value contains a release character (so <see cref="GetString"/> must unescape).</summary>
    public readonly bool ValueHasRelease => _valueHasRelease;

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
    public bool Read()
    {
        if (_unaStep != 0)
        {
            return ReadUnaPart();
        }
        if (_next == EdifactTokenType.SegmentEnd)
        {
            SetToken(EdifactTokenType.SegmentEnd, _terminatorPos, 0);
            _next = EdifactTokenType.None;
            return true;
        }
        if (!_delimitersKnown && !DetectDelimiters())
        {
            return false;
        }
        if (_unaStep != 0)
        {
            return ReadUnaPart();
        }
        if (_next == EdifactTokenType.None)
        {
            return ReadTag();
        }
        return ReadValue();
    }

    private bool ReadTag()
    {
        var pos = _pos;
        var buffer = _buffer;
        // CR/LF (and stray blanks) between segments are tolerated and skipped.
        while (pos < buffer.Length && IsLayout(buffer[pos]) && !_delimiters.IsDelimiter(buffer[pos]))
        {
            pos++;
        }
        _pos = pos;
        if (pos >= buffer.Length)
        {
            return false;
        }
        _valueHasRelease = false;
        var d = FindDelimiter(pos);
        if (d < 0 && !_isFinalBlock)
        {
            return false;
        }
        _segmentNumber++;
        _element = 0;
        _component = 0;
        _repetition = 0;
        Complete(EdifactTokenType.SegmentTag, pos, d);
        return true;
    }

    private bool ReadValue()
    {
        var start = _pos;
        _valueHasRelease = false;
        var d = start >= _buffer.Length ? -1 : FindDelimiter(start);
        if (d < 0 && !_isFinalBlock)
        {
            return false;
        }
        switch (_next)
        {
            case EdifactTokenType.Element:
                _element++;
                _component = 0;
                _repetition = 0;
                break;
            case EdifactTokenType.Component:
                _component++;
                break;
            case EdifactTokenType.Repetition:
                _repetition++;
                _component = 0;
                break;
        }
        Complete(_next, start, d);
        return true;
    }

    /// <summary>Emits the value [start, d) and decides what follows from the delimiter at d (-1: end of data).</summary>
    private void Complete(EdifactTokenType type, int start, int d)
    {
        if (d < 0)
        {
            SetToken(type, start, _buffer.Length - start);
            _pos = _buffer.Length;
            _terminatorPos = _buffer.Length;
            _terminated = false;
            _next = EdifactTokenType.SegmentEnd;
            return;
        }
        SetToken(type, start, d - start);
        _pos = d + 1;
        var b = _buffer[d];
        if (b == _delimiters.Element)
        {
            _next = EdifactTokenType.Element;
        }
        else if (b == _delimiters.Component)
        {
            _next = EdifactTokenType.Component;
        }
        else if (b == _delimiters.Segment)
        {
            _next = EdifactTokenType.SegmentEnd;
            _terminatorPos = d;
            _terminated = true;
        }
        else
        {
            _next = EdifactTokenType.Repetition;
        }
    }

    private void SetToken(EdifactTokenType type, int start, int length)
    {
        _tokenType = type;
        _tokenStart = start;
        _valueLength = length;
    }

    private static bool IsLayout(byte b) => b is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t';

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
        while (pos < buffer.Length && IsLayout(buffer[pos]))
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
        PrepareVectors();
        return true;
    }

    private bool ReadUnaPart()
    {
        switch (_unaStep)
        {
            case 1:
                _segmentNumber++;
                _element = 0;
                SetToken(EdifactTokenType.SegmentTag, _pos, 3);
                _unaStep = 2;
                return true;
            case 2:
                _element = 1;
                SetToken(EdifactTokenType.Element, _pos + 3, 6);
                _unaStep = 3;
                return true;
            default:
                SetToken(EdifactTokenType.SegmentEnd, _pos + 8, 0);
                _terminated = true;
                _pos += 9;
                _unaStep = 0;
                _next = EdifactTokenType.None;
                return true;
        }
    }

    private void PrepareVectors()
    {
        var d = _delimiters;
        _v1 = Vector256.Create(d.Component);
        _v2 = Vector256.Create(d.Element);
        _v3 = Vector256.Create(d.Segment);
        // An unused release or repetition character is compared as the segment terminator again (never as NUL).
        _v4 = Vector256.Create(d.Release == 0 ? d.Segment : d.Release);
        _v5 = Vector256.Create(d.Repetition == 0 ? d.Segment : d.Repetition);
    }

    /// <summary>Index of the next unreleased delimiter at or after <paramref name="from"/>, or -1 when the data ends first.</summary>
    private int FindDelimiter(int from)
    {
        var buffer = _buffer;
        var release = _delimiters.Release;
        while (from < buffer.Length)
        {
            if (from < _blockStart || from >= _blockStart + BlockSize)
            {
                LoadBlock(from);
            }
            var mask = _blockMask & (uint.MaxValue << (from - _blockStart));
            while (mask != 0)
            {
                var i = _blockStart + BitOperations.TrailingZeroCount(mask);
                if (release == 0 || buffer[i] != release)
                {
                    return i;
                }
                // A release character makes the next byte data, whatever it is (so "??" is one literal '?').
                _valueHasRelease = true;
                var skipTo = i + 2;
                if (skipTo > buffer.Length)
                {
                    return -1;
                }
                if (skipTo - _blockStart >= BlockSize)
                {
                    mask = 0;
                    from = skipTo;
                    goto nextBlock;
                }
                mask &= uint.MaxValue << (skipTo - _blockStart);
            }
            from = _blockStart + BlockSize;
        nextBlock:;
        }
        return -1;
    }

    private void LoadBlock(int from)
    {
        _blockStart = from;
        var buffer = _buffer;
        if (Vector256.IsHardwareAccelerated && buffer.Length - from >= BlockSize)
        {
            var block = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(buffer), (nuint)from);
            var hits = Vector256.Equals(block, _v1) | Vector256.Equals(block, _v2) | Vector256.Equals(block, _v3)
                | Vector256.Equals(block, _v4) | Vector256.Equals(block, _v5);
            _blockMask = hits.ExtractMostSignificantBits();
            return;
        }
        if (Vector128.IsHardwareAccelerated && buffer.Length - from >= BlockSize)
        {
            ref var start = ref MemoryMarshal.GetReference(buffer);
            _blockMask = Mask128(Vector128.LoadUnsafe(ref start, (nuint)from))
                | (Mask128(Vector128.LoadUnsafe(ref start, (nuint)from + 16)) << 16);
            return;
        }
        // Scalar fallback (short tail or no SIMD): same mask, built byte by byte.
        var end = Math.Min(buffer.Length, from + BlockSize);
        uint mask = 0;
        for (var i = from; i < end; i++)
        {
            if (_delimiters.IsDelimiter(buffer[i]))
            {
                mask |= 1u << (i - from);
            }
        }
        _blockMask = mask;
    }

    private readonly uint Mask128(Vector128<byte> block) =>
        (Vector128.Equals(block, _v1.GetLower()) | Vector128.Equals(block, _v2.GetLower())
            | Vector128.Equals(block, _v3.GetLower()) | Vector128.Equals(block, _v4.GetLower())
            | Vector128.Equals(block, _v5.GetLower())).ExtractMostSignificantBits();

    /// <summary>The current value unescaped (release characters removed) and decoded with <paramref name="charset"/>.</summary>
    public readonly string GetString(EdifactCharset? charset = null) =>
        EdifactText.Decode(ValueSpan, _unaStep == 3 ? (byte)0 : _delimiters.Release, charset ?? EdifactCharset.Default);

    /// <summary>True when the current value (unescaped) equals <paramref name="ascii"/>.</summary>
    public readonly bool ValueEquals(ReadOnlySpan<byte> ascii) =>
        !_valueHasRelease ? ValueSpan.SequenceEqual(ascii) : GetString() == System.Text.Encoding.ASCII.GetString(ascii);
}
