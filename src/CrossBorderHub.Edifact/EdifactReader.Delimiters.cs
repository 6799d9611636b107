using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrossBorderHub.Edifact;

/// <summary>The delimiters: read from UNA or chosen from how UNB starts, and the separator table built from them.</summary>
public ref partial struct EdifactReader
{
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
                _position = 0;
                _tokenType = EdifactTokenType.SegmentTag;
                _tokenStart = _pos;
                _valueEnd = _pos + 3;
                _unaStep = 2;
                return true;
            case 2:
                _position = Pack(1, 0, 0);
                _tokenType = EdifactTokenType.Element;
                _tokenStart = _pos + 3;
                _valueEnd = _pos + 9;
                _unaStep = 3;
                return true;
            default:
                _tokenType = EdifactTokenType.SegmentEnd;
                _tokenStart = _pos + 8;
                _valueEnd = _pos + 8;
                _terminated = true;
                _pos += 9;
                _scanEnd = _pos;
                _unaStep = 0;
                _next = EdifactTokenType.None;
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    internal static byte[] KindTable(Delimiters d)
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
}
