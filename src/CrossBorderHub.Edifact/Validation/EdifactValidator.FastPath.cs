using System.Runtime.CompilerServices;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    private sealed partial class Run
    {
        // Tags "UN?" (UNA, UNB, UNG, UNE, UNH, UNT, UNZ) are the envelope: always the full path. UNS (section control)
        // is a data segment of the message table, described by the service definitions.
        private const int ServicePrefix = 'U' | ('N' << 8);

        /// <summary>
        /// Most segments of a real interchange are valid data segments inside a message. For them this answers
        /// "nothing to report" with checks that only return true or false; any doubt (a finding, a release
        /// character or UTF-8 in a length check, a value outside the directory) sends the segment down the full
        /// path, which reports. The fast path therefore never changes a result: it decides when the full path may
        /// be skipped (a test runs every sample and mutation both ways).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryCleanDataSegment(RawSegment seg, int key)
        {
            if (_state != State.InMessage || ((key & 0xFFFF) == ServicePrefix && key != TagKey.Uns) || _messageSpec is null
                || _directory is not { } directory || !DirectoryLevel || !_owner.UseFastPath)
            {
                return false;
            }
            // As OnDataSegment looks it up: the directory's specification, else the service segment's.
            var spec = directory.FindSegment(key) ?? _service.ByKey.GetValueOrDefault(key);
            if (spec is null || !SyntaxClean(seg) || !ElementsClean(seg, spec, CodesLevel))
            {
                return false;
            }
            _segmentsInMessage++;
            if (!_structureLost && !_matcher.Match(key, _reportStructure ??= (code, _, message) => Report(code, message)))
            {
                Report(SyntaxError.NotSupportedInPosition, $"segment {seg.Tag} is not expected here in {_messageSpec.Type}");
            }
            return true;
        }

        /// <summary>True when <see cref="CheckSyntax"/> would report nothing for a data segment with a valid tag.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool SyntaxClean(RawSegment seg)
        {
            var values = seg.Values;
            if (!seg.Terminated || (values.Length > 1 && values[^1].Length == 0))
            {
                return false;
            }
            if (_forbidden is null && !_charset.IsUtf8)
            {
                return true;
            }
            var raw = seg.Raw;
            return _printableAsciiAllowed
                ? raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 || (!_charset.IsUtf8 && raw.IndexOfAny(_forbidden!) < 0)
                : !_charset.IsUtf8 && raw.IndexOfAny(_forbidden!) < 0;
        }

        /// <summary>True when <see cref="CheckElements"/> would report nothing (the same walk, without reporting).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool ElementsClean(RawSegment seg, SegmentSpec spec, bool codes)
        {
            var values = seg.Values;
            var buffer = seg.Buffer;
            var elements = spec.Elements;
            ulong presentElements = 0;
            ulong presentComponents = 0;
            var currentElement = 0;
            var currentRepetition = -1;
            ElementSpec? es = null;
            for (var i = 1; i < values.Length; i++)
            {
                ref readonly var v = ref values[i];
                if (v.Element == 0)
                {
                    continue;
                }
                if (v.Element != currentElement || v.Repetition != currentRepetition)
                {
                    if (es is not null && presentComponents != 0 && (es.MandatoryComponents & ~presentComponents) != 0)
                    {
                        return false;
                    }
                    presentComponents = 0;
                    if (v.Element != currentElement)
                    {
                        currentElement = v.Element;
                        if (currentElement > elements.Length)
                        {
                            return false;
                        }
                        es = elements[currentElement - 1];
                    }
                    currentRepetition = v.Repetition;
                    if (v.Repetition > 0 && v.Repetition >= es!.Repeat)
                    {
                        return false;
                    }
                }
                if (v.Length == 0)
                {
                    continue;
                }
                if (currentElement <= 64)
                {
                    presentElements |= 1UL << (currentElement - 1);
                }
                ValueSpec valueSpec;
                if (es!.Components is { } components)
                {
                    if (v.Component >= components.Length)
                    {
                        return false;
                    }
                    if (v.Component < 64)
                    {
                        presentComponents |= 1UL << v.Component;
                    }
                    valueSpec = components[v.Component];
                    // A code UNCL has no list for, in a composite that names its list: a code list file may check it.
                    if (codes && valueSpec.Codes is null && es.NamesItsCodeList && _owner.CodeLists is { } lists && lists.Covers(valueSpec.Id))
                    {
                        return false;
                    }
                }
                else
                {
                    if (v.Component > 0)
                    {
                        return false;
                    }
                    valueSpec = es.Simple!;
                }
                if (!ValueClean(buffer.Slice(v.Start, v.Length), v.HasRelease, valueSpec, codes, seg.Delimiters.Release))
                {
                    return false;
                }
            }
            if (es is not null && presentComponents != 0 && (es.MandatoryComponents & ~presentComponents) != 0)
            {
                return false;
            }
            return (spec.MandatoryElements & ~presentElements) == 0;
        }

        /// <summary>True when <see cref="CheckValue"/> would report nothing for this value.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool ValueClean(ReadOnlySpan<byte> raw, bool hasRelease, ValueSpec spec, bool codes, byte release)
        {
            if (_charset.IsUtf8)
            {
                return false; // lengths count characters, not bytes: the full path measures them
            }
            var length = raw.Length;
            if (spec.Kind == ValueKind.N && !hasRelease)
            {
                return NumberClean(raw, spec) && (!codes || spec.Codes is not { } numericList || numericList.Contains(raw));
            }
            if (hasRelease)
            {
                // Escaped numbers and escaped codes are rare: the full path unescapes them.
                if (spec.Kind == ValueKind.N || (codes && spec.Codes is not null))
                {
                    return false;
                }
                length = EdifactText.UnescapedLength(raw, release, utf8: false);
            }
            if (length > spec.MaxLength || length < spec.MinLength)
            {
                return false;
            }
            if (spec.Kind == ValueKind.A && raw.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0)
            {
                return false;
            }
            return !codes || spec.Codes is not { } list || list.Contains(raw);
        }
    }

    /// <summary>The numeric rules of <see cref="CheckValue"/>: digits, a leading minus, one decimal mark between digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NumberClean(ReadOnlySpan<byte> raw, ValueSpec spec)
    {
        var digits = 0;
        var marks = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if ((uint)(b - '0') <= 9)
            {
                digits++;
            }
            else if (b == '-' && i == 0)
            {
            }
            else if ((b == '.' || b == ',') && marks++ == 0 && digits > 0 && i < raw.Length - 1)
            {
            }
            else
            {
                return false; // the full path reports it (or accepts the interchange's own decimal mark)
            }
        }
        return digits <= spec.MaxLength && digits >= spec.MinLength;
    }

    /// <summary>False: every segment takes the full path (tests compare both ways).</summary>
    internal bool UseFastPath { get; init; } = true;
}
