namespace CrossBorderHub.Edifact;

/// <summary>What the last <see cref="EdifactReader.Read"/> produced.</summary>
public enum EdifactTokenType : byte
{
    None,

    /// <summary>The segment tag (the first value of a segment).</summary>
    SegmentTag,

    /// <summary>The first component of a new data element (after the element separator).</summary>
    Element,

    /// <summary>A further component of the same data element (after the component separator).</summary>
    Component,

    /// <summary>The first component of a repeated occurrence of the data element (after the repetition separator).</summary>
    Repetition,

    /// <summary>The segment terminator. <see cref="EdifactReader.SegmentTerminated"/> is false at an unterminated end of data.</summary>
    SegmentEnd,
}
