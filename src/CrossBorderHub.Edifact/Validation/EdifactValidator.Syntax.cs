using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    private sealed partial class Run
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckSyntax(RawSegment seg)
        {
            var tag = seg.TagSpan;
            if (tag.Length != 3 || !IsTagBytes(tag))
            {
                Report(SyntaxError.InvalidValue, $"'{Printable(tag)}' is not a segment tag (three upper-case letters or digits)");
            }
            if (!seg.Terminated)
            {
                Report(SyntaxError.Missing, "the segment terminator is missing at the end of the data (truncated file?)", offset: seg.Offset);
            }
            if (seg.IsTag("UNA"u8))
            {
                return;
            }
            var values = seg.Values;
            if (values.Length > 1 && values[^1].Length == 0 && seg.Terminated)
            {
                Report(SyntaxError.TrailingSeparator, "trailing separator: empty data elements or components at the end of a segment must be omitted",
                    values[^1].Element, values[^1].Component + 1, values[^1].Repetition, seg.OffsetOf(values[^1]),
                    EdifactTolerance.SeverityOf(_owner.Tolerance.TrailingSeparators));
            }
            if (_forbidden is null && !_charset.IsUtf8)
            {
                return;
            }
            // One vectorized pass over the whole segment; values are looked at only when something was found.
            var raw = seg.Raw;
            // Fast path: printable ASCII is allowed by every repertoire but UNOA (checked in full below).
            if (_printableAsciiAllowed && raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
            {
                return;
            }
            if (_charset.IsUtf8 ? Utf8.IsValid(raw) && raw.IndexOfAny(ControlBytes) < 0 : raw.IndexOfAny(_forbidden!) < 0)
            {
                return;
            }
            foreach (ref readonly var value in values)
            {
                var span = seg.Span(value);
                if (_charset.IsUtf8)
                {
                    if (!Utf8.IsValid(span))
                    {
                        ReportAt(value, SyntaxError.InvalidCharacters, $"invalid UTF-8 byte sequence under {_charset.Id}");
                    }
                    else if (span.IndexOfAny(ControlBytes) is var c and >= 0)
                    {
                        ReportAt(value, SyntaxError.InvalidCharacters, $"control character 0x{span[c]:X2} is not allowed under {_charset.Id}");
                    }
                }
                else if (span.IndexOfAny(_forbidden!) is var bad and >= 0)
                {
                    // Tolerated only when every such byte is one the encoding carries (lower case under UNOA...).
                    var hard = _untolerable is null ? bad : span.IndexOfAny(_untolerable);
                    ReportAt(value, SyntaxError.InvalidCharacters, $"character 0x{span[hard < 0 ? bad : hard]:X2} is not in the {_charset.Id} repertoire",
                        severity: EdifactTolerance.SeverityOf(hard < 0));
                }
            }
        }

        private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
            Enumerable.Range(0, 32).Select(i => (byte)i).Append((byte)0x7F).ToArray());

        private void UseCharset(EdifactCharset charset)
        {
            _charset = charset;
            _printableAsciiAllowed = Enumerable.Range(0x20, 0x7F - 0x20).All(b => charset.IsAllowed((byte)b));
            var forbidden = Enumerable.Range(0, 256).Select(i => (byte)i).Where(b => !charset.IsAllowed(b)).ToArray();
            _forbidden = SearchValues.Create(forbidden);
            // UNOA and UNOB are 7-bit ASCII: a printable ASCII byte outside the repertoire is still carried faithfully.
            _untolerable = _owner.Tolerance.RepertoireCharacters && charset.Encoding.CodePage == 20127
                ? SearchValues.Create(forbidden.Where(b => b is < 0x20 or > 0x7E).ToArray())
                : null;
        }

        private SearchValues<byte>? _untolerable;

        private static string Printable(ReadOnlySpan<byte> bytes)
        {
            var sb = new StringBuilder();
            foreach (var b in bytes[..Math.Min(bytes.Length, 12)])
            {
                sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }
            return sb.ToString();
        }
    }
}
