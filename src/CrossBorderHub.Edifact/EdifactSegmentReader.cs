using System.Runtime.CompilerServices;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Reads segments from a stream of any size in constant memory. A window buffer is filled chunk by chunk and one
/// <see cref="EdifactReader"/> tokenizes every whole segment in it in one pass (a batch of reused
/// <see cref="RawSegment"/>s); the segment cut by the end of the window is re-read after the next refill, resuming
/// from the reader state saved at its start. A returned segment is valid until the next call.
/// </summary>
public sealed partial class EdifactSegmentReader
{
    private readonly Stream _stream;
    private readonly int _maxSegmentLength;
    private readonly List<RawSegment> _batch = [];
    private readonly SegmentStore _store = new();
    private int _batchCount;
    private int _batchIndex;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _done;
    private EdifactReaderState _state;

    // Tests compare the structural scanner with the general reader on the same input.
    private readonly bool _forceReader;

    // 64 KiB of input makes ~400 KB of values: the window's values stay in the L2 cache between the scanner that
    // writes them and the validator that reads them (256 KiB windows were 12 % slower to validate).
    internal const int DefaultWindow = 1 << 16;
    // Set by the scanner when it leaves a window to the reader (a segment whose indexes outgrow its packed word).
    private bool _readerForNextWindow;

    public EdifactSegmentReader(Stream stream, int bufferSize = DefaultWindow, int maxSegmentLength = 64 << 20)
        : this(stream, bufferSize, maxSegmentLength, forceReader: false)
    {
    }

    /// <summary>Continues mid-interchange: the delimiters are known and the data starts between two segments.</summary>
    internal EdifactSegmentReader(Stream stream, Delimiters delimiters, long offset, int segmentNumber)
        : this(stream, DefaultWindow, 64 << 20, forceReader: false)
    {
        _state = new EdifactReaderState(delimiters, true, offset, segmentNumber, EdifactTokenType.None, 0, 0, 0, started: true);
    }

    internal EdifactSegmentReader(Stream stream, int bufferSize, int maxSegmentLength, bool forceReader)
    {
        _forceReader = forceReader;
        _stream = stream;
        _buffer = new byte[bufferSize];
        _maxSegmentLength = maxSegmentLength;
    }

    /// <summary>Set when reading stopped on an error (segment longer than the limit, I/O error).</summary>
    public string? Error { get; private set; }

    /// <summary>Absolute offset where <see cref="Error"/> happened.</summary>
    public long ErrorOffset { get; private set; }

    public Delimiters Delimiters => _state.Delimiters;

    /// <summary>Bytes left after the last segment (layout at the end of the file), available once reading ended.</summary>
    public ReadOnlySpan<byte> Trailing => _done ? _buffer.AsSpan(_start, _end - _start) : default;

    public long Position => _state.Offset;

    /// <summary>The next segment, or null at the end of the data or on <see cref="Error"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RawSegment? Read()
    {
        while (true)
        {
            if (_batchIndex < _batchCount)
            {
                return _batch[_batchIndex++];
            }
            if (_done || Error is not null)
            {
                return null;
            }
            if (!Fill())
            {
                return null;
            }
            ParseWindow();
        }
    }

    /// <summary>Tokenizes every complete segment of the window [_start, _end) into the batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseWindow()
    {
        _batchCount = 0;
        _batchIndex = 0;
        _store.Clear();
        // Once the delimiters are known and the window starts between segments (always, after the first window),
        // the structural scanner takes every complete segment; the general reader handles the start of the data
        // (BOM, UNA, delimiter detection) and the unterminated tail of the last window.
        var useScanner = _state.DelimitersKnown && _state.Next == EdifactTokenType.None && !_forceReader && !_readerForNextWindow;
        _readerForNextWindow = false;
        if (useScanner)
        {
            ScanCompleteSegments();
            if (!_eof)
            {
                return;
            }
        }
        ParseWithReader();
    }

    private void ParseWithReader()
    {
        var window = _buffer.AsSpan(_start, _end - _start);
        var reader = new EdifactReader(window, _eof, _state);
        var windowOffset = _state.Offset;
        var layoutStart = 0;
        RawSegment? seg = null;
        var segmentHasRelease = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case EdifactTokenType.SegmentTag:
                    segmentHasRelease = reader.Delimiters.Release != 0 && RestOfSegmentHasRelease(window, reader.TokenStartIndex, reader.Delimiters);
                    seg = NextSegment();
                    seg.Reset(_buffer, windowOffset - _start, reader.Delimiters);
                    seg.SegmentNumber = reader.SegmentNumber;
                    seg.Offset = reader.TokenStartOffset;
                    seg.LayoutStart = _start + layoutStart;
                    seg.RawStart = _start + reader.TokenStartIndex;
                    seg.Add(new ValueRef(0, 0, 0, _start + reader.TokenStartIndex, reader.ValueSpan.Length, false));
                    break;
                case EdifactTokenType.SegmentEnd:
                    seg!.Terminated = reader.SegmentTerminated;
                    seg.RawEnd = _start + reader.BytesConsumed;
                    layoutStart = reader.BytesConsumed;
                    _state = reader.CurrentState;
                    _batchCount++;
                    break;
                default:
                    seg!.Add(new ValueRef(reader.ElementIndex, reader.RepetitionIndex, reader.ComponentIndex,
                        _start + reader.TokenStartIndex, reader.ValueLength, segmentHasRelease && reader.ValueHasRelease));
                    break;
            }
        }
        // Complete segments are consumed; an incomplete one (and any layout) stays for the next window.
        _start += layoutStart;
        if (_eof)
        {
            _done = true;
        }
    }

    /// <summary>The batch's next reusable segment (not yet counted in the batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RawSegment NextSegment()
    {
        if (_batchCount == _batch.Count)
        {
            _batch.Add(new RawSegment(_store));
        }
        return _batch[_batchCount];
    }

    /// <summary>
    /// Whether a release character occurs before the next segment terminator: one vectorized search per segment
    /// instead of one per value (a "yes" is then refined per value).
    /// </summary>
    private static bool RestOfSegmentHasRelease(ReadOnlySpan<byte> window, int from, Delimiters delimiters)
    {
        var rest = window[from..];
        var i = rest.IndexOfAny(delimiters.Release, delimiters.Segment);
        return i < 0 || rest[i] == delimiters.Release;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxSegmentLength)
            {
                Error = $"a segment is longer than {_maxSegmentLength} bytes (no segment terminator found)";
                ErrorOffset = _state.Offset;
                return false;
            }
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxSegmentLength));
        }
        try
        {
            // Fill the whole free space (a stream may return less than asked) so a window holds many segments.
            while (_end < _buffer.Length)
            {
                var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0)
                {
                    _eof = true;
                    break;
                }
                _end += n;
            }
            return true;
        }
        catch (IOException e)
        {
            Error = "read error: " + e.Message;
            ErrorOffset = _state.Offset + _end;
            return false;
        }
    }
}
