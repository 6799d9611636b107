using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrossBorderHub.Edifact;

public sealed partial class EdifactSegmentReader
{
    /// <summary>
    /// Takes every complete segment of the window [_start, _end) into the batch in one structural pass: 64 bytes are
    /// compared against the delimiters at once, and each bit of the resulting mask ends one value. Element, component
    /// and repetition positions live in locals and values are written straight into the store, which is what makes
    /// this several times faster than a <see cref="EdifactReader.Read"/> call per token. It produces exactly the
    /// values the reader does (a test compares both); an incomplete last segment is left for the next window.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ScanCompleteSegments()
    {
        var delimiters = _state.Delimiters;
        byte component = delimiters.Component, element = delimiters.Element, terminator = delimiters.Segment;
        // An unused release or repetition character is compared as the terminator again, as the reader does.
        var release = delimiters.Release == 0 ? terminator : delimiters.Release;
        var repetition = delimiters.Repetition == 0 ? terminator : delimiters.Repetition;
        var useRelease = release != terminator;

        var buffer = _buffer;
        var end = _end;
        var bufferOffset = _state.Offset - _start;
        var segmentNumber = _state.SegmentNumber;
        var store = _store;
        var values = store.Values;
        var valueCount = store.ValueCount;
        var completeValueCount = valueCount;

        var pos = _start; // first byte of the next value
        var layoutStart = _start; // just after the last complete segment
        var inSegment = false;
        int elementIndex = 0, componentIndex = 0, repetitionIndex = 0;
        int firstValue = 0, rawStart = 0;
        var carry = false;
        var lastRelease = -1; // buffer index of the last release byte in the blocks before the current one
        ref var origin = ref MemoryMarshal.GetArrayDataReference(buffer);

        for (var blockBase = _start; blockBase < end; blockBase += StructuralIndex.BlockSize)
        {
            var length = Math.Min(StructuralIndex.BlockSize, end - blockBase);
            var mask = StructuralIndex.Block(buffer, blockBase, length, component, element, terminator, repetition, release, ref carry, out var releaseBytes);
            while (mask != 0)
            {
                var separator = blockBase + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                if (valueCount == values.Length)
                {
                    Array.Resize(ref store.Values, values.Length * 2);
                    values = store.Values;
                }
                if (!inSegment)
                {
                    // A tag: CR/LF (and stray blanks) between segments are layout, never part of the tag.
                    var tagStart = pos;
                    while (tagStart < separator && Unsafe.Add(ref origin, tagStart) is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
                    {
                        tagStart++;
                    }
                    firstValue = valueCount;
                    rawStart = tagStart;
                    values[valueCount++] = new ValueRef(0, 0, 0, tagStart, separator - tagStart, false);
                    elementIndex = 0;
                    componentIndex = 0;
                    repetitionIndex = 0;
                    inSegment = true;
                }
                else
                {
                    var hasRelease = useRelease && (pos < blockBase
                        ? lastRelease >= pos || (releaseBytes & LowBits(separator - blockBase)) != 0
                        : (releaseBytes & LowBits(separator - blockBase) & ~LowBits(pos - blockBase)) != 0);
                    values[valueCount++] = new ValueRef(elementIndex, repetitionIndex, componentIndex, pos, separator - pos, hasRelease);
                }
                var kind = Unsafe.Add(ref origin, separator);
                if (kind == terminator)
                {
                    var seg = NextSegment();
                    seg.Reset(buffer, bufferOffset, delimiters);
                    seg.SetValues(firstValue, valueCount - firstValue);
                    seg.SegmentNumber = ++segmentNumber;
                    seg.Offset = bufferOffset + rawStart;
                    seg.LayoutStart = layoutStart;
                    seg.RawStart = rawStart;
                    seg.RawEnd = separator + 1;
                    seg.Terminated = true;
                    _batchCount++;
                    layoutStart = separator + 1;
                    completeValueCount = valueCount;
                    inSegment = false;
                }
                else if (kind == element)
                {
                    elementIndex++;
                    componentIndex = 0;
                    repetitionIndex = 0;
                }
                else if (kind == component)
                {
                    componentIndex++;
                }
                else
                {
                    repetitionIndex++;
                    componentIndex = 0;
                }
                pos = separator + 1;
            }
            if (releaseBytes != 0)
            {
                lastRelease = blockBase + 63 - BitOperations.LeadingZeroCount(releaseBytes);
            }
        }
        // Values of the incomplete last segment are dropped: it is read again, whole, from the next window.
        store.ValueCount = completeValueCount;
        _state = new EdifactReaderState(delimiters, true, bufferOffset + layoutStart, segmentNumber, EdifactTokenType.None, 0, 0, 0, _state.Started);
        _start = layoutStart;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LowBits(int count) => (1UL << count) - 1;
}
