using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrossBorderHub.Edifact;

/// <summary>Where the current value sits in its segment: element, repetition and component packed in one ulong.</summary>
public ref partial struct EdifactReader
{
    internal const int RepetitionShift = 21;
    internal const int ElementShift = 42;
    internal const ulong FieldMask = (1UL << RepetitionShift) - 1;
    // Bit 20 of each field: set once the field reaches 2^20 (see _position).
    internal const ulong WideGuard = (1UL << 20) | (1UL << (RepetitionShift + 20)) | (1UL << (ElementShift + 20));

    private static ulong Pack(int element, int repetition, int component) =>
        ((ulong)element << ElementShift) | ((ulong)repetition << RepetitionShift) | (uint)component;

    // Per kind of the value being read (the separator before it): the index bits kept, then the increment. A tag
    // (None) clears all, an element keeps the element index, a repetition keeps element and repetition.
    private static ReadOnlySpan<ulong> PositionKeep => [0, 0, ~((1UL << ElementShift) - 1), ulong.MaxValue, ~FieldMask, 0];

    private static ReadOnlySpan<ulong> PositionStep => [0, 0, 1UL << ElementShift, 1, 1UL << RepetitionShift, 0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(EdifactTokenType kind) => _position = Advance(_position, kind);

    /// <summary>The packed indexes of the value after a separator of this kind (None: a tag).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Advance(ulong position, EdifactTokenType kind) =>
        (position & Unsafe.Add(ref MemoryMarshal.GetReference(PositionKeep), (int)kind))
            + Unsafe.Add(ref MemoryMarshal.GetReference(PositionStep), (int)kind);

    private void AdvanceWide(EdifactTokenType kind)
    {
        switch (kind)
        {
            case EdifactTokenType.None:
                (_wideElement, _wideRepetition, _wideComponent) = (0, 0, 0);
                break;
            case EdifactTokenType.Element:
                (_wideElement, _wideRepetition, _wideComponent) = (_wideElement + 1, 0, 0);
                break;
            case EdifactTokenType.Component:
                _wideComponent++;
                break;
            default:
                (_wideRepetition, _wideComponent) = (_wideRepetition + 1, 0);
                break;
        }
    }
}
