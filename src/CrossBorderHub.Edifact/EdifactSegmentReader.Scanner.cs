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
    /// values the reader does (a test compares both); an incomplete last segment is left for the next window, and so is
    /// a segment with over a million elements, components or repetitions, for the reader.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        // Element, repetition and component index packed as the reader packs them (see EdifactReader): one
        // register, updated without a branch on the separator's kind.
        ulong position = 0;
        int firstValue = 0, rawStart = 0;
        var carry = false;
        var lastRelease = -1; // buffer index of the last release byte in the blocks before the current one
        ref var origin = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var kinds = ref MemoryMarshal.GetArrayDataReference(EdifactReader.KindTable(delimiters));

        for (var blockBase = _start; blockBase < end; blockBase += StructuralIndex.BlockSize)
        {
            var length = Math.Min(StructuralIndex.BlockSize, end - blockBase);
            if (valueCount > values.Length - StructuralIndex.BlockSize)
            {
                // A block ends at most 64 values: room is made once per block, not checked per value.
                Array.Resize(ref store.Values, values.Length * 2);
                values = store.Values;
            }
            if ((position & EdifactReader.WideGuard) != 0)
            {
                // A segment of megabytes with over a million elements, components or repetitions: the general
                // reader, whose indexes stay exact, takes this window from the segment's start.
                _readerForNextWindow = true;
                break;
            }
            var mask = StructuralIndex.Block(buffer, blockBase, length, component, element, terminator, repetition, release, ref carry, out var releaseBytes);
            while (mask != 0)
            {
                var separator = blockBase + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
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
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), valueCount++) = new ValueRef(0, 0, 0, tagStart, separator - tagStart, false);
                    inSegment = true;
                }
                else
                {
                    var hasRelease = useRelease && (pos < blockBase
                        ? lastRelease >= pos || (releaseBytes & LowBits(separator - blockBase)) != 0
                        : (releaseBytes & LowBits(separator - blockBase) & ~LowBits(pos - blockBase)) != 0);
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), valueCount++) = new ValueRef(
                        (int)(position >> EdifactReader.ElementShift), (int)((position >> EdifactReader.RepetitionShift) & EdifactReader.FieldMask),
                        (int)(position & EdifactReader.FieldMask), pos, separator - pos, hasRelease);
                }
                var kind = Unsafe.Add(ref kinds, Unsafe.Add(ref origin, separator));
                pos = separator + 1;
                if (kind == (byte)EdifactTokenType.SegmentEnd)
                {
                    var seg = NextSegment();
                    seg.Reset(buffer, bufferOffset, delimiters);
                    seg.SetValues(firstValue, valueCount - firstValue);
                    seg.SegmentNumber = ++segmentNumber;
                    seg.Offset = bufferOffset + rawStart;
                    seg.LayoutStart = layoutStart;
                    seg.RawStart = rawStart;
                    seg.RawEnd = pos;
                    seg.Terminated = true;
                    _batchCount++;
                    layoutStart = pos;
                    completeValueCount = valueCount;
                    inSegment = false;
                    position = 0;
                }
                else
                {
                    position = EdifactReader.Advance(position, (EdifactTokenType)kind);
                }
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
