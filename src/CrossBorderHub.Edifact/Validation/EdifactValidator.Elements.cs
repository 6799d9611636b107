using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    private sealed partial class Run
    {
        /// <summary>Checks every data element of <paramref name="seg"/> against its specification.</summary>
        private void CheckElements(RawSegment seg, SegmentSpec spec, bool codes, EdifactDirectory? directory)
        {
            var values = seg.Values;
            var elements = spec.Elements;
            for (var e = 1; e <= Math.Max(seg.ElementCount, elements.Length); e++)
            {
                var first = e <= seg.ElementCount ? seg.FirstValueIndex(e) : -1;
                if (e > elements.Length)
                {
                    if (first >= 0 && !AllEmpty(seg, first, e))
                    {
                        ReportAt(values[first], SyntaxError.TooManyConstituents, $"{spec.Tag} has only {elements.Length} data elements", composite: false);
                    }
                    return;
                }
                var es = elements[e - 1];
                if (first < 0 || AllEmpty(seg, first, e))
                {
                    if (es.Mandatory)
                    {
                        Report(SyntaxError.Missing, $"mandatory {es.Id} {es.Name} is missing", e, 0, 0,
                            first >= 0 ? seg.OffsetOf(values[first]) : seg.Offset + seg.Raw.Length - 1);
                    }
                    continue;
                }
                var repetitionSeen = -1;
                var repetitionStart = first;
                for (var i = first; i <= values.Length; i++)
                {
                    var inElement = i < values.Length && values[i].Element == e;
                    if (inElement && values[i].Repetition == repetitionSeen)
                    {
                        continue;
                    }
                    if (repetitionSeen >= 0)
                    {
                        CheckOccurrence(seg, es, repetitionStart, i, codes, directory);
                    }
                    if (!inElement)
                    {
                        break;
                    }
                    repetitionSeen = values[i].Repetition;
                    repetitionStart = i;
                    if (repetitionSeen == es.Repeat)
                    {
                        ReportAt(values[i], SyntaxError.TooManyRepetitions, $"{es.Id} {es.Name} may occur at most {es.Repeat} times", es.IsComposite);
                    }
                }
            }
        }

        private static bool AllEmpty(RawSegment seg, int first, int element)
        {
            var values = seg.Values;
            for (var i = first; i < values.Length && values[i].Element == element; i++)
            {
                if (values[i].Length > 0)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>One occurrence of a data element: values [from, to) of the segment.</summary>
        private void CheckOccurrence(RawSegment seg, ElementSpec es, int from, int to, bool codes, EdifactDirectory? directory)
        {
            var values = seg.Values;
            if (!es.IsComposite)
            {
                for (var i = from; i < to; i++)
                {
                    if (values[i].Component > 0)
                    {
                        if (values[i].Length > 0 || i == to - 1)
                        {
                            ReportAt(values[i], SyntaxError.TooManyConstituents, $"{es.Id} {es.Name} is a simple data element: it has no components", composite: true);
                            return;
                        }
                        continue;
                    }
                    CheckValue(seg, values[i], es.Simple!, codes, directory, composite: false);
                }
                return;
            }
            var components = es.Components!;
            var present = 0UL;
            for (var i = from; i < to; i++)
            {
                var c = values[i].Component;
                if (c >= components.Length)
                {
                    if (values[i].Length > 0)
                    {
                        ReportAt(values[i], SyntaxError.TooManyConstituents, $"{es.Id} {es.Name} has only {components.Length} components", composite: true);
                        return;
                    }
                    continue;
                }
                if (values[i].Length > 0)
                {
                    present |= 1UL << Math.Min(c, 63);
                    CheckValue(seg, values[i], components[c], codes, directory, composite: true);
                }
            }
            for (var c = 0; c < components.Length && c < 64; c++)
            {
                if (components[c].Mandatory && (present & (1UL << c)) == 0)
                {
                    Report(SyntaxError.Missing, $"mandatory component {components[c].Id} {components[c].Name} of {es.Id} is missing",
                        values[from].Element, c + 1, values[from].Repetition, seg.OffsetOf(values[from]));
                }
            }
        }

        private void CheckValue(RawSegment seg, in ValueRef value, ValueSpec spec, bool codes, EdifactDirectory? directory, bool composite)
        {
            if (value.Length == 0)
            {
                return;
            }
            var raw = seg.Span(value);
            var release = seg.Delimiters.Release;
            int length;
            if (spec.Kind == ValueKind.N)
            {
                length = 0;
                var decimals = 0;
                for (var i = 0; i < raw.Length; i++)
                {
                    var b = raw[i];
                    if (b is >= (byte)'0' and <= (byte)'9')
                    {
                        length++;
                    }
                    else if (b == '-' && i == 0)
                    {
                    }
                    else if ((b == '.' || b == ',' || b == seg.Delimiters.Decimal) && decimals++ == 0)
                    {
                        if (i == raw.Length - 1)
                        {
                            ReportAt(value, SyntaxError.InvalidDecimalNotation, $"'{Text(seg, value)}': a decimal mark must be followed by digits", composite);
                            return;
                        }
                    }
                    else
                    {
                        ReportAt(value, SyntaxError.InvalidTypeOfCharacters, $"'{Text(seg, value)}' is not numeric ({spec.Id} {spec.Name} is n..{spec.MaxLength})", composite);
                        return;
                    }
                }
            }
            else
            {
                length = value.HasRelease || _charset.IsUtf8 ? EdifactText.UnescapedLength(raw, release, _charset.IsUtf8) : raw.Length;
                if (spec.Kind == ValueKind.A && raw.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0)
                {
                    ReportAt(value, SyntaxError.InvalidTypeOfCharacters, $"'{Text(seg, value)}' must be alphabetic ({spec.Id} {spec.Name})", composite);
                }
            }
            if (length > spec.MaxLength)
            {
                ReportAt(value, SyntaxError.DataElementTooLong, $"{spec.Id} {spec.Name} is {length} characters long, at most {spec.MaxLength} allowed", composite);
            }
            else if (length < spec.MinLength)
            {
                ReportAt(value, SyntaxError.DataElementTooShort, $"{spec.Id} {spec.Name} is {length} characters long, exactly {spec.MinLength} required", composite);
            }
            if (codes && spec.Codes is { } list && !Contains(list, raw, release, value.HasRelease))
            {
                ReportAt(value, SyntaxError.InvalidValue, $"'{Text(seg, value)}' is not a code of list {spec.Id} ({spec.Name})", composite);
            }
        }

        private static bool Contains(CodeSet list, ReadOnlySpan<byte> raw, byte release, bool hasRelease)
        {
            if (!hasRelease)
            {
                return list.Contains(raw);
            }
            Span<byte> buffer = raw.Length <= 256 ? stackalloc byte[raw.Length] : new byte[raw.Length];
            var n = EdifactText.Unescape(raw, release, buffer);
            return list.Contains(buffer[..n]);
        }

        private string Text(RawSegment seg, in ValueRef value) =>
            EdifactText.Decode(seg.Span(value)[..Math.Min(value.Length, 70)], seg.Delimiters.Release, _charset);
    }
}
