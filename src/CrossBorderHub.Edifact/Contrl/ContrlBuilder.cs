using System.Globalization;
using CrossBorderHub.Edifact.Model;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Edifact.Contrl;

/// <summary>
/// Builds the CONTRL syntax and service report for a validated interchange (syntax 3 or 4, following the
/// interchange's own version): UCI for the interchange, UCF per group, UCM per message, UCS/UCD per segment and
/// data element in error. Action 7 = acknowledged, 4 = rejected, 8 = interchange received (a receipt, no report).
/// The result validates with <see cref="EdifactValidator"/>.
/// </summary>
public static class ContrlBuilder
{
    public const string Acknowledged = "7";
    public const string Rejected = "4";
    public const string Received = "8";

    /// <summary>
    /// A receipt: UCI action 8 and nothing below it (ISO 9735-1 CONTRL, 0083 = 8 "interchange received"), for a
    /// sender that asked with UNB 0031 = 2 or whose agreement wants receipts, not syntax reports.
    /// </summary>
    public static byte[] BuildReceipt(ValidationResult result, string controlReference, DateTimeOffset preparedAt, string? sender = null) =>
        Build(result, controlReference, preparedAt, reportEveryMessage: false, receiptOnly: true, partialAcceptance: false, sender);

    /// <param name="result">The validation of the interchange being answered.</param>
    /// <param name="controlReference">Control reference of the CONTRL interchange (an..14).</param>
    /// <param name="preparedAt">Date and time written in UNB.</param>
    /// <param name="reportEveryMessage">Also list messages without errors (UCM action 7).</param>
    /// <param name="partialAcceptance">
    /// The agreement lets the valid messages of an interchange through: errors inside messages reject only those
    /// messages (UCM action 4) while the interchange and its groups are acknowledged (7) unless they have errors of their own.
    /// </param>
    /// <param name="sender">
    /// UNB sender (0004) of the CONTRL: an intermediary that checked the interchange names itself here. Null: the
    /// recipient of the interchange answered, as ISO 9735 has it when the addressee acknowledges. UCI names the
    /// interchange's own sender and recipient either way, which is what the partner correlates on.
    /// </param>
    public static byte[] Build(ValidationResult result, string controlReference, DateTimeOffset preparedAt, bool reportEveryMessage = true,
        bool partialAcceptance = false, string? sender = null) =>
        Build(result, controlReference, preparedAt, reportEveryMessage, receiptOnly: false, partialAcceptance, sender);

    private static byte[] Build(ValidationResult result, string controlReference, DateTimeOffset preparedAt, bool reportEveryMessage,
        bool receiptOnly, bool partialAcceptance, string? sender)
    {
        var version = result.SyntaxVersion is >= 1 and <= 4 ? result.SyntaxVersion : 4;
        var syntaxId = EdifactCharset.Find(result.SyntaxIdentifier) is null || (result.SyntaxIdentifier == "UNOW" && version < 4)
            ? "UNOC"
            : result.SyntaxIdentifier!;
        // Values copied from a damaged interchange are cut to the CONTRL field sizes and the answer's repertoire.
        var charset = EdifactCharset.Find(syntaxId)!;
        string Clip(string? value, int max) => Clean(value ?? "", max, charset);
        var body = new List<Segment>();
        // Only errors reject and are reported: info and warning findings (tolerated or unchecked) leave the CONTRL accepting.
        var errors = result.Findings.Where(f => f.IsError).ToList();
        var interchangeErrors = result.InterchangeFindings.Where(f => f.IsError).ToList();
        var rejected = partialAcceptance ? interchangeErrors.Count > 0 : errors.Count > 0;
        var uci = new List<Element>
        {
            new(Clip(Or(result.ControlReference, "UNKNOWN"), 14)),
            Party(Clip(Or(result.Sender, "UNKNOWN"), 35), Clip(result.SenderQualifier, 4)),
            Party(Clip(Or(result.Recipient, "UNKNOWN"), 35), Clip(result.RecipientQualifier, 4)),
            new(rejected ? Rejected : receiptOnly ? Received : Acknowledged),
        };
        if (interchangeErrors.FirstOrDefault() is { } first)
        {
            uci.Add(new Element(Code(first)));
            uci.Add(new Element(IsService(first.Tag) ? first.Tag : ""));
            if (IsService(first.Tag) && first.Element > 0)
            {
                uci.Add(Position(first));
            }
        }
        body.Add(new Segment("UCI", [.. uci]));
        // Findings by message once: a rejected interchange can list 10,000 findings across as many messages.
        var byMessage = errors.Where(f => f.MessageIndex >= 0).ToLookup(f => f.MessageIndex);
        // A receipt of an accepted interchange says "arrived" and nothing about its groups and messages.
        if (receiptOnly && !rejected)
        {
            return Envelope(result, body, syntaxId, version, controlReference, preparedAt, Clip, sender);
        }
        if (result.Groups.Count == 0)
        {
            for (var m = 0; m < result.Messages.Count; m++)
            {
                AddMessage(body, result, byMessage, m, reportEveryMessage, Clip, version);
            }
        }
        else
        {
            for (var g = 0; g < result.Groups.Count; g++)
            {
                var group = result.Groups[g];
                var groupErrors = errors.Where(f => f.GroupIndex == g && f.MessageIndex < 0).ToList();
                var groupRejected = partialAcceptance ? groupErrors.Count > 0 : errors.Any(f => f.GroupIndex == g);
                var ucf = new List<Element>
                {
                    new(Clip(Or(group.Reference, "UNKNOWN"), 14)), new(Clip(Or(group.Sender, "UNKNOWN"), 35)), new(Clip(Or(group.Recipient, "UNKNOWN"), 35)),
                    new(groupRejected ? Rejected : Acknowledged),
                };
                if (groupErrors.FirstOrDefault() is { } ge)
                {
                    ucf.Add(new Element(Code(ge)));
                    ucf.Add(new Element(IsService(ge.Tag) ? ge.Tag : ""));
                }
                body.Add(new Segment("UCF", [.. ucf]));
                for (var m = 0; m < result.Messages.Count; m++)
                {
                    if (result.Messages[m].GroupIndex == g)
                    {
                        AddMessage(body, result, byMessage, m, reportEveryMessage, Clip, version);
                    }
                }
            }
        }
        return Envelope(result, body, syntaxId, version, controlReference, preparedAt, Clip, sender);
    }

    private static byte[] Envelope(ValidationResult result, List<Segment> body, string syntaxId, int version, string controlReference,
        DateTimeOffset preparedAt, Func<string?, int, string> Clip, string? sender)
    {
        var from = string.IsNullOrEmpty(sender) ? Clip(Or(result.Recipient, "UNKNOWN"), 35) : Clip(sender, 35);
        var builder = new InterchangeBuilder(syntaxId, version, from, Clip(Or(result.Sender, "UNKNOWN"), 35), Clip(controlReference, 14), preparedAt)
        {
            // The recipient's qualifier belongs to the recipient's identification, not to an intermediary's.
            SenderQualifier = string.IsNullOrEmpty(sender) ? NullIfEmpty(Clip(result.RecipientQualifier, 4)) : null,
            RecipientQualifier = NullIfEmpty(Clip(result.SenderQualifier, 4)),
            IsTest = result.IsTest,
            Delimiters = version >= 4 ? Delimiters.DefaultSyntax4 : Delimiters.Default,
            SegmentSeparator = "\r\n",
        };
        builder.AddMessage("1", "CONTRL", version >= 4 ? "4" : "D", version >= 4 ? "1" : "3", "UN", body);
        return builder.ToBytes();
    }

    private static void AddMessage(List<Segment> body, ValidationResult result, ILookup<int, EdifactFinding> byMessage, int index,
        bool reportEveryMessage, Func<string?, int, string> Clip, int version)
    {
        var message = result.Messages[index];
        var findings = byMessage[index].ToList();
        if (findings.Count == 0 && !reportEveryMessage)
        {
            return;
        }
        var ucm = new List<Element>
        {
            new(Clip(Or(message.Reference, "UNKNOWN"), 14)),
            new(Clip(Or(message.Type, "UNKNWN"), 6), Clip(Or(message.Version, "D"), 3), Clip(Or(message.Release, "0"), 3), Clip(Or(message.Agency, "UN"), version >= 4 ? 3 : 2)),
            new(findings.Count > 0 ? Rejected : Acknowledged),
        };
        var envelope = findings.FirstOrDefault(f => f.Tag is "UNH" or "UNT");
        if (envelope is not null)
        {
            ucm.Add(new Element(Code(envelope)));
            ucm.Add(new Element(envelope.Tag));
        }
        body.Add(new Segment("UCM", [.. ucm]));
        foreach (var bySegment in findings.Where(f => f.Tag is not ("UNH" or "UNT")).GroupBy(f => f.PositionInMessage).Take(999))
        {
            var segmentLevel = bySegment.FirstOrDefault(f => f.Element == 0);
            var ucs = new List<Element> { new(EdifactWriter.Number(Math.Max(1, bySegment.Key))) };
            if (segmentLevel is not null)
            {
                ucs.Add(new Element(Code(segmentLevel)));
            }
            body.Add(new Segment("UCS", [.. ucs]));
            foreach (var f in bySegment.Where(f => f.Element > 0).Take(99))
            {
                body.Add(new Segment("UCD", new Element(Code(f)), Position(f)));
            }
        }
    }

    /// <summary>S011: the segment tag counts as position 1, so data element N is position N + 1.</summary>
    private static Element Position(EdifactFinding f) =>
        f.Component > 0
            ? new Element(EdifactWriter.Number(f.Element + 1), EdifactWriter.Number(f.Component))
            : new Element(EdifactWriter.Number(f.Element + 1));

    private static Element Party(string id, string qualifier) =>
        qualifier.Length == 0 ? new Element(id) : new Element(id, qualifier);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>Cuts to <paramref name="max"/> characters and replaces what the repertoire cannot carry by '.'.</summary>
    private static string Clean(string value, int max, EdifactCharset charset)
    {
        var text = value.Length <= max ? value : value[..max];
        if (charset.Id == "UNOA")
        {
            text = text.ToUpperInvariant();
        }
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var bytes = charset.Encoding.GetBytes(chars, i, 1);
            if (bytes.Length == 0 || bytes.Any(b => !charset.IsAllowed(b)) || charset.Encoding.GetString(bytes) != chars[i].ToString())
            {
                chars[i] = '.';
            }
        }
        return new string(chars);
    }

    private static string Code(EdifactFinding f) => f.CodeNumber.ToString(CultureInfo.InvariantCulture);

    private static bool IsService(string tag) => tag is "UNA" or "UNB" or "UNZ" or "UNG" or "UNE" or "UNH" or "UNT";

    private static string Or(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

}
