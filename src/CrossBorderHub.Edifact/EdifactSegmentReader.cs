namespace CrossBorderHub.Edifact;

/// <summary>
/// Reads segments from a stream of any size in constant memory: a window buffer is refilled chunk by chunk and the
/// <see cref="EdifactReader"/> resumes from its saved state; a segment split across chunks is re-read once whole.
/// </summary>
public sealed class EdifactSegmentReader
{
    private readonly Stream _stream;
    private readonly int _maxSegmentLength;
    private readonly RawSegment _segment = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private EdifactReaderState _state;

    public EdifactSegmentReader(Stream stream, int bufferSize = 1 << 18, int maxSegmentLength = 64 << 20)
    {
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
    public ReadOnlySpan<byte> Trailing => _buffer.AsSpan(_start, _end - _start);

    public long Position => _state.Offset;

    /// <summary>The next segment, or null at the end of the data or on <see cref="Error"/>.</summary>
    public RawSegment? Read()
    {
        if (Error is not null)
        {
            return null;
        }
        while (true)
        {
            if (TryParse(out var done))
            {
                return _segment;
            }
            if (done)
            {
                return null;
            }
            if (!Fill())
            {
                return null;
            }
        }
    }

    /// <summary>Tokenizes one whole segment from the window; false (and not done) when more bytes are needed.</summary>
    private bool TryParse(out bool done)
    {
        done = false;
        var window = _buffer.AsSpan(_start, _end - _start);
        var reader = new EdifactReader(window, _eof, _state);
        var seg = _segment;
        var started = false;
        while (reader.Read())
        {
            if (!started)
            {
                started = true;
                seg.Reset(_buffer, _state.Offset - _start, reader.Delimiters);
                seg.SegmentNumber = reader.SegmentNumber;
                seg.Offset = reader.TokenStartOffset;
                seg.LayoutStart = _start;
                seg.RawStart = _start + reader.TokenStartIndex;
            }
            if (reader.TokenType == EdifactTokenType.SegmentEnd)
            {
                seg.Terminated = reader.SegmentTerminated;
                seg.RawEnd = _start + reader.BytesConsumed;
                _start += reader.BytesConsumed;
                _state = reader.CurrentState;
                return true;
            }
            seg.Add(new ValueRef(reader.ElementIndex, reader.RepetitionIndex, reader.ComponentIndex,
                _start + reader.TokenStartIndex, reader.ValueSpan.Length, reader.ValueHasRelease));
        }
        if (_eof)
        {
            // Only layout (or nothing) is left.
            // Only layout is left: it stays in the window as Trailing (kept for the byte-exact round trip).
            done = true;
        }
        return false;
    }

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
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
            }
            _end += n;
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
