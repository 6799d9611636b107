namespace CrossBorderHub.Edifact;

/// <summary>
/// Everything an <see cref="EdifactReader"/> needs to continue on the next chunk of a stream: pass
/// <see cref="EdifactReader.CurrentState"/> to the reader over the following bytes (starting at BytesConsumed).
/// </summary>
public readonly struct EdifactReaderState
{
    internal EdifactReaderState(Delimiters delimiters, bool delimitersKnown, long offset, int segmentNumber,
        EdifactTokenType next, int element, int component, int repetition, bool started)
    {
        Delimiters = delimiters;
        DelimitersKnown = delimitersKnown;
        Offset = offset;
        SegmentNumber = segmentNumber;
        Next = next;
        ElementIndex = element;
        ComponentIndex = component;
        RepetitionIndex = repetition;
        Started = started;
    }

    public Delimiters Delimiters { get; }

    /// <summary>False until UNA or the first segment fixed the delimiters.</summary>
    public bool DelimitersKnown { get; }

    /// <summary>Absolute offset in the whole input of the first byte the next reader sees.</summary>
    public long Offset { get; }

    public int SegmentNumber { get; }

    internal EdifactTokenType Next { get; }

    internal int ElementIndex { get; }

    internal int ComponentIndex { get; }

    internal int RepetitionIndex { get; }

    internal bool Started { get; }
}
