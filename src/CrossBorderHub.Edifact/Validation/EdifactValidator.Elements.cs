using System.Runtime.CompilerServices;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    private sealed partial class Run
    {
        /// <summary>
        /// Checks every data element of <paramref name="seg"/> against its specification in one pass over the values
        /// (they come in element/occurrence/component order); what is present is tracked in bit masks so that
        /// mandatory checks cost one AND in the common, valid case.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckElements(RawSegment seg, SegmentSpec spec, bool codes, EdifactDirectory? directory)
        {
            var values = seg.Values;
            var elements = spec.Elements;
            ulong presentElements = 0;
            ulong presentComponents = 0;
            var currentElement = 0;
            var currentRepetition = -1;
            var occurrenceStart = 0;
            ElementSpec? es = null;
            for (var i = 1; i < values.Length; i++)
            {
                ref readonly var v = ref values[i];
                if (v.Element == 0)
                {
                    continue; // components of the tag (old syntax nesting indicators): not described by the directory
                }
                if (v.Element != currentElement || v.Repetition != currentRepetition)
                {
                    if (es is not null && presentComponents != 0 && (es.MandatoryComponents & ~presentComponents) != 0)
                    {
                        CheckComponentsPresent(seg, es, presentComponents, values[occurrenceStart]);
                    }
                    presentComponents = 0;
                    occurrenceStart = i;
                    if (v.Element != currentElement)
                    {
                        currentElement = v.Element;
                        if (currentElement > elements.Length)
                        {
                            if (!AllEmptyFrom(values, i))
                            {
                                ReportAt(v, SyntaxError.TooManyConstituents, $"{spec.Tag} has only {elements.Length} data elements", composite: false);
                            }
                            es = null;
                            break;
                        }
                        es = elements[currentElement - 1];
                    }
                    currentRepetition = v.Repetition;
                    if (v.Repetition >= es!.Repeat && v.Repetition > 0)
                    {
                        ReportAt(v, SyntaxError.TooManyRepetitions, $"{es.Id} {es.Name} may occur at most {es.Repeat} times", es.IsComposite);
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
                if (!es!.IsComposite)
                {
                    if (v.Component > 0)
                    {
                        ReportAt(v, SyntaxError.TooManyConstituents, $"{es.Id} {es.Name} is a simple data element: it has no components", composite: true);
                        continue;
                    }
                    CheckValue(seg, v, es.Simple!, codes, directory, composite: false);
                    continue;
                }
                var components = es.Components!;
                if (v.Component >= components.Length)
                {
                    ReportAt(v, SyntaxError.TooManyConstituents, $"{es.Id} {es.Name} has only {components.Length} components", composite: true);
                    continue;
                }
                if (v.Component < 64)
                {
                    presentComponents |= 1UL << v.Component;
                }
                CheckValue(seg, v, components[v.Component], codes, directory, composite: true, es);
            }
            if (es is not null && presentComponents != 0 && (es.MandatoryComponents & ~presentComponents) != 0)
            {
                CheckComponentsPresent(seg, es, presentComponents, values[occurrenceStart]);
            }
            var missing = spec.MandatoryElements & ~presentElements;
            while (missing != 0)
            {
                var e = System.Numerics.BitOperations.TrailingZeroCount(missing) + 1;
                missing &= missing - 1;
                var element = elements[e - 1];
                var first = e <= seg.ElementCount ? seg.FirstValueIndex(e) : -1;
                Report(SyntaxError.Missing, $"mandatory {element.Id} {element.Name} is missing", e, 0, 0,
                    first >= 0 ? seg.OffsetOf(values[first]) : seg.Offset + seg.Raw.Length - 1);
            }
        }

        private static bool AllEmptyFrom(ReadOnlySpan<ValueRef> values, int from)
        {
            for (var i = from; i < values.Length; i++)
            {
                if (values[i].Length > 0)
                {
                    return false;
                }
            }
            return true;
        }

        private void CheckComponentsPresent(RawSegment seg, ElementSpec es, ulong present, in ValueRef first)
        {
            var missing = es.MandatoryComponents & ~present;
            while (missing != 0)
            {
                var c = System.Numerics.BitOperations.TrailingZeroCount(missing);
                missing &= missing - 1;
                var component = es.Components![c];
                Report(SyntaxError.Missing, $"mandatory component {component.Id} {component.Name} of {es.Id} is missing",
                    first.Element, c + 1, first.Repetition, seg.OffsetOf(first));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckValue(RawSegment seg, in ValueRef value, ValueSpec spec, bool codes, EdifactDirectory? directory, bool composite, ElementSpec? owner = null)
        {
            if (value.Length == 0)
            {
                return;
            }
            var raw = seg.Span(value);
            var release = seg.Delimiters.Release;
            int length;
            var leadingZeros = 0;
            var numeric = EdifactTolerance.SeverityOf(_owner.Tolerance.NumericFormats);
            if (spec.Kind == ValueKind.N)
            {
                length = 0;
                var decimals = 0;
                var significant = false;
                for (var i = 0; i < raw.Length; i++)
                {
                    var b = raw[i];
                    if (b is >= (byte)'0' and <= (byte)'9')
                    {
                        length++;
                        // Insignificant leading zeros (ISO 9735 clause 7); the zero of "0.5" before the mark is significant.
                        if (!significant && b == '0' && decimals == 0 && i + 1 < raw.Length && raw[i + 1] is >= (byte)'0' and <= (byte)'9')
                        {
                            leadingZeros++;
                        }
                        else
                        {
                            significant = true;
                        }
                    }
                    else if (b == '-' && i == 0)
                    {
                    }
                    else if ((b == '.' || b == ',' || b == seg.Delimiters.Decimal) && decimals++ == 0)
                    {
                        if (i == raw.Length - 1)
                        {
                            ReportAt(value, SyntaxError.InvalidDecimalNotation, $"'{Text(seg, value)}': a decimal mark must be followed by digits", composite, numeric);
                            return;
                        }
                        if (length == 0)
                        {
                            ReportAt(value, SyntaxError.MissingDigitBeforeDecimal, $"'{Text(seg, value)}': a decimal mark must follow a digit (write 0{(char)b}5, not {(char)b}5)",
                                composite, numeric);
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
                ReportAt(value, SyntaxError.DataElementTooLong, $"{spec.Id} {spec.Name} is {length} characters long, at most {spec.MaxLength} allowed"
                    + (leadingZeros > 0 ? $" ({leadingZeros} of them leading zeros)" : ""), composite, LengthSeverity(seg, value, spec, length, leadingZeros));
            }
            else if (length < spec.MinLength)
            {
                ReportAt(value, SyntaxError.DataElementTooShort, $"{spec.Id} {spec.Name} is {length} characters long, exactly {spec.MinLength} required", composite,
                    EdifactTolerance.SeverityOf(_owner.Tolerance.EitherSyntaxDateFormat && IsOtherSyntaxDate(seg, value, spec)));
            }
            if (codes && spec.Codes is { } list && !Contains(list, raw, release, value.HasRelease))
            {
                // Only here, once the UNCL look-up failed, is the composite's agency read: the valid path never pays for it.
                if (owner is not null && OtherAgency(seg, value, owner) is { } other)
                {
                    CheckOtherAgencyCode(seg, value, spec, other, unlistedIsInfo: true);
                    return;
                }
                ReportAt(value, SyntaxError.InvalidValue, $"'{Text(seg, value)}' is not a code of list {spec.Id} ({spec.Name})", composite);
            }
            else if (codes && spec.Codes is null && owner is { NamesItsCodeList: true } && _owner.CodeLists?.Covers(spec.Id) == true
                && OtherAgency(seg, value, owner) is { } named)
            {
                // UNCL lists no code for this element (3225 location...), but a code list file of the agency named does.
                CheckOtherAgencyCode(seg, value, spec, named, unlistedIsInfo: false);
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

        /// <summary>
        /// The agency that owns the code list of this composite's coded component, when its code list responsible
        /// agency (3055) is present and is not 6 (UN/ECE), or, without 3055, when a code list qualifier (1131) names a
        /// list: null when the list is the UN/EDIFACT one, which the caller then checks against UNCL as before.
        /// </summary>
        private (string? Agency, string? Qualifier)? OtherAgency(RawSegment seg, in ValueRef value, ElementSpec owner)
        {
            var components = owner.Components!;
            string? agency = null;
            string? qualifier = null;
            foreach (ref readonly var sibling in seg.Values)
            {
                if (sibling.Element != value.Element || sibling.Repetition != value.Repetition || sibling.Length == 0
                    || sibling.Component == value.Component || sibling.Component >= components.Length)
                {
                    continue;
                }
                var id = components[sibling.Component].Id;
                if (id == "3055")
                {
                    agency = Text(seg, sibling);
                }
                else if (id == "1131")
                {
                    qualifier = Text(seg, sibling);
                }
            }
            if (agency is not null)
            {
                return agency == "6" ? null : (agency, qualifier);
            }
            return qualifier is null ? null : (null, qualifier);
        }

        /// <summary>
        /// A code of another agency's list: checked against a code list file of the schema folder when one is keyed
        /// to it, otherwise reported as not checked (info).
        /// </summary>
        private void CheckOtherAgencyCode(RawSegment seg, in ValueRef value, ValueSpec spec, (string? Agency, string? Qualifier) other, bool unlistedIsInfo)
        {
            var code = Text(seg, value);
            if (_owner.CodeLists?.Find(spec.Id, other.Agency, other.Qualifier) is { } file)
            {
                if (!file.Contains(code))
                {
                    ReportAt(value, SyntaxError.InvalidValue, $"'{code}' is not a code of {file.Name} ({spec.Id} {spec.Name}, list {file.FileName})", composite: true);
                }
                return;
            }
            if (!unlistedIsInfo)
            {
                return;
            }
            var owner = other.Agency is null ? $"list {other.Qualifier}" : $"agency {other.Agency}" + (other.Qualifier is null ? "" : $" (list {other.Qualifier})");
            Report(SyntaxError.InvalidValue, $"'{code}' ({spec.Id} {spec.Name}) belongs to a code list of {owner}, not UN/EDIFACT: not checked against UNCL",
                value.Element, value.Component + 1, value.Repetition, seg.OffsetOf(value), EdifactSeverity.Info);
        }

        /// <summary>
        /// A value over its maximum length is a warning when the profile tolerates it: by the length margin, after
        /// its insignificant leading zeros (numeric formats), or as the UNB/UNG date of the other syntax version.
        /// </summary>
        private EdifactSeverity LengthSeverity(RawSegment seg, in ValueRef value, ValueSpec spec, int length, int leadingZeros)
        {
            var tolerance = _owner.Tolerance;
            var counted = tolerance.NumericFormats ? length - leadingZeros : length;
            return EdifactTolerance.SeverityOf(counted - spec.MaxLength <= tolerance.LengthMargin
                || (tolerance.EitherSyntaxDateFormat && IsOtherSyntaxDate(seg, value, spec)));
        }

        private string Text(RawSegment seg, in ValueRef value) =>
            EdifactText.Decode(seg.Span(value)[..Math.Min(value.Length, 70)], seg.Delimiters.Release, _charset);
    }
}
