using System.Globalization;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    /// <summary>UNA and UNB: the service characters, the syntax identifier and version, the date and the flags.</summary>
    private sealed partial class Run
    {
        private void OnUna(RawSegment seg)
        {
            if (_state != State.Start)
            {
                Report(SyntaxError.NotSupportedInPosition, "UNA must be the first segment of the interchange");
                return;
            }
            _state = State.AfterUna;
            var d = seg.Delimiters;
            var used = new[] { d.Component, d.Element, d.Decimal, d.Release, d.Repetition, d.Segment }.Where(b => b != 0).ToArray();
            if (seg.Values.Length < 2 || seg.Span(seg.Values[1]).Length != 6)
            {
                Report(SyntaxError.Missing, "UNA must carry exactly six service characters", 1);
            }
            else if (used.Distinct().Count() != used.Length - (d.Decimal is (byte)'.' or (byte)',' && used.Count(b => b == d.Decimal) > 1 ? 1 : 0)
                || used.Any(b => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'))
            {
                Report(SyntaxError.CharacterInvalidAsServiceCharacter, "UNA service characters must be distinct and not letters or digits", 1);
            }
            else if (d.Decimal is not ((byte)'.' or (byte)','))
            {
                Report(SyntaxError.InvalidDecimalNotation, "UNA decimal mark must be '.' or ','", 1, 3);
            }
        }

        private void OnUnb(RawSegment seg)
        {
            if (_state is not (State.Start or State.AfterUna))
            {
                Report(_state == State.AfterUnz ? SyntaxError.InvalidOccurrenceOutsideMessage : SyntaxError.NotSupportedInPosition,
                    "UNB is only allowed once, at the start of the interchange (one interchange per file)");
                return;
            }
            ReadUnb(seg, validate: true);
            _state = State.InInterchange;
        }

        private void ReadUnb(RawSegment seg, bool validate)
        {
            Result.HasUnb = true;
            Result.Delimiters = seg.Delimiters;
            Result.SyntaxIdentifier = seg.GetString(1, 0);
            var versionText = seg.GetString(1, 1);
            Result.SyntaxVersion = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
            Result.Sender = seg.GetString(2, 0);
            Result.SenderQualifier = NullIfEmpty(seg.GetString(2, 1));
            Result.Recipient = seg.GetString(3, 0);
            Result.RecipientQualifier = NullIfEmpty(seg.GetString(3, 1));
            Result.ControlReference = seg.GetString(5, 0);
            Result.AcknowledgementRequested = seg.GetString(9, 0) == "1";
            // Syntax 4 adds 0031 = 2, "indication of receipt": the sender wants to know the interchange arrived, not a report.
            Result.ReceiptRequested = seg.GetString(9, 0) == "2" && Result.SyntaxVersion >= 4;
            Result.IsTest = seg.GetString(11, 0) == "1";
            var charset = EdifactCharset.Find(Result.SyntaxIdentifier);
            // IATA's own identifiers name its level A and B repertoires: read them as UNOA/UNOB in every profile, so
            // that strict and lenient differ only in the weight of the finding below.
            var iata = charset is null ? IataCharset(Result.SyntaxIdentifier) : null;
            charset ??= iata;
            if (charset is not null)
            {
                UseCharset(charset);
            }
            _service = ServiceDefinitions.For(Result.SyntaxVersion is >= 1 and <= 4 ? Result.SyntaxVersion : 4);
            if (!validate)
            {
                return;
            }
            if (iata is not null)
            {
                Report(SyntaxError.SyntaxVersionOrLevelNotSupported,
                    $"syntax identifier '{Result.SyntaxIdentifier}' is IATA's, not one of ISO 9735 (read as {iata.Id}; use {iata.Id})", 1, 1,
                    severity: EdifactTolerance.SeverityOf(_owner.Tolerance.IataSyntaxIdentifiers));
            }
            else if (charset is null)
            {
                Report(SyntaxError.SyntaxVersionOrLevelNotSupported,
                    $"syntax identifier '{Result.SyntaxIdentifier}' is not supported (use UNOA..UNOK, UNOW, UNOX or UNOY)", 1, 1);
            }
            if (Result.SyntaxVersion is < 1 or > 4)
            {
                Report(SyntaxError.SyntaxVersionOrLevelNotSupported, $"syntax version '{versionText}' is not supported (1 to 4)", 1, 2);
            }
            else if (charset is { IsUtf8: true } && Result.SyntaxVersion < 4 && charset.Id == "UNOW")
            {
                Report(SyntaxError.SyntaxVersionOrLevelNotSupported, "UNOW requires syntax version 4", 1, 1);
            }
            CheckElements(seg, _service.Segments["UNB"], codes: false, null);
            if (Result.SyntaxVersion is >= 1 and <= 4)
            {
                CheckDate(seg, 4, 0);
            }
            if (!Result.ReceiptRequested)
            {
                CheckFlag(seg, 9, "0031 acknowledgement request", "1");
            }
            CheckFlag(seg, 11, "0035 test indicator", "1");
        }

        private void CheckFlag(RawSegment seg, int element, string what, string allowed)
        {
            if (seg.Find(element, 0) is { Length: > 0 } value && seg.GetString(element, 0) != allowed)
            {
                ReportAt(value, SyntaxError.InvalidValue, $"{what} must be '{allowed}' or omitted",
                    severity: EdifactTolerance.SeverityOf(_owner.Tolerance.UnlistedServiceFlags));
            }
        }

        private static EdifactCharset? IataCharset(string? id) => id switch
        {
            "IATA" => EdifactCharset.Find("UNOA"),
            "IATB" => EdifactCharset.Find("UNOB"),
            _ => null,
        };

        /// <summary>
        /// The date in either format (the length finding for the other syntax version's comes from the element
        /// check, see <see cref="IsOtherSyntaxDate"/>) and the time.
        /// </summary>
        private void CheckDate(RawSegment seg, int element, int component)
        {
            if (seg.Find(element, component) is not { Length: 6 or 8 } value)
            {
                return;
            }
            var text = seg.GetString(element, component);
            var format = value.Length == 8 ? "yyyyMMdd" : "yyMMdd";
            if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                ReportAt(value, SyntaxError.InvalidValue, $"'{text}' is not a valid date ({format})");
            }
            if (seg.Find(element, component + 1) is { Length: 4 } time
                && !DateTime.TryParseExact(seg.GetString(element, component + 1), "HHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                ReportAt(time, SyntaxError.InvalidValue, $"'{seg.GetString(element, component + 1)}' is not a valid time (HHMM)");
            }
        }

        /// <summary>
        /// The UNB/UNG date (0017) written as the other syntax version writes it: 8 digits under syntax 1-3, 6 under 4.
        /// </summary>
        private bool IsOtherSyntaxDate(RawSegment seg, in ValueRef value, ValueSpec spec) =>
            spec.Id == "0017" && value.Element == 4 && (seg.IsTag("UNB"u8) || seg.IsTag("UNG"u8))
            && value.Length == (Result.SyntaxVersion == 4 ? 6 : 8);
    }
}
