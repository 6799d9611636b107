namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// The last value read at one position of a segment, as raw bytes and as its decoded string: when the next segment
/// holds the same bytes (messages of one interchange repeat their type, version, release and agency in UNH), the
/// string is reused instead of decoded again. Bytes with a release character are never cached: the same raw bytes
/// always decode to the same string within an interchange (one set of delimiters and character set), so reuse can
/// never change a result.
/// </summary>
internal sealed class RepeatedValue
{
    private const int MaxCachedLength = 64;
    private readonly byte[] _raw = new byte[MaxCachedLength];
    private int _length = -1;
    private string _text = "";

    /// <summary>The value's string, as <see cref="RawSegment.GetString"/> gives it.</summary>
    public string Get(RawSegment seg, int element, int component)
    {
        var found = seg.Find(element, component);
        if (found is { HasRelease: false } value && value.Length <= MaxCachedLength)
        {
            var raw = seg.Buffer.Slice(value.Start, value.Length);
            if (raw.Length == _length && raw.SequenceEqual(_raw.AsSpan(0, _length)))
            {
                return _text;
            }
            _text = seg.GetString(element, component);
            raw.CopyTo(_raw);
            _length = raw.Length;
            return _text;
        }
        _length = -1;
        return seg.GetString(element, component);
    }

    /// <summary>True when the value at this position holds exactly the bytes last cached (so the same string).</summary>
    public bool Matches(RawSegment seg, int element, int component) =>
        _length > 0 && seg.Find(element, component) is { HasRelease: false } value && value.Length == _length
        && seg.Buffer.Slice(value.Start, value.Length).SequenceEqual(_raw.AsSpan(0, _length));
}
