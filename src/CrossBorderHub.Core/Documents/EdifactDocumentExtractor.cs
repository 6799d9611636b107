using System.Globalization;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Core.Documents;

/// <summary>
/// Reads the business identity of every message of an interchange: each message is its own document. Missing
/// segments give empty values and a warning, never an exception: the message is still processed and delivered.
/// </summary>
public static class EdifactDocumentExtractor
{
    // NAD 3035 qualifiers that name the party issuing the document (message from, declarant, exporter, consignor, seller).
    private static readonly string[] IssuerParties = ["FR", "DT", "EX", "CZ", "SE"];

    // ... and the party it is destined for (message recipient, consignee, importer, buyer).
    private static readonly string[] DestinationParties = ["MR", "CN", "IM", "BY"];

    // Only these segments carry identity; keeping just them bounds the memory a large message costs.
    private static readonly HashSet<string> IdentityTags = ["BGM", "DTM", "NAD", "LOC", "RFF"];

    // RFF 1153 qualifiers naming the earlier document a replacement/cancellation refers to, by message type: the
    // message type's own "previous document" code first, then ACW (reference number to previous message, any type).
    private static readonly Dictionary<string, string[]> ReferenceQualifiers = new(StringComparer.Ordinal)
    {
        ["CUSDEC"] = ["ABT", "ACW"], // ABT customs declaration number
        ["INVOIC"] = ["OI", "ACW"],  // OI previous invoice number
        ["SANCRT"] = ["AGO", "ACW"], // AGO sender's reference to the original message
        ["IFTMIN"] = ["ACW"],
    };
    private static readonly string[] DefaultReferenceQualifiers = ["ACW", "AGO"];
    private const int MaxIdentitySegments = 500;

    /// <summary>CONTRL has no BGM by design: it is an acknowledgement, not a business document.</summary>
    public static bool IsDocument(string messageType) => messageType != "CONTRL";

    public static DocumentExtraction Extract(Interchange interchange) => Collect(interchange.AllMessages);

    /// <summary>Streams the interchange (any size): each message's identity segments are kept until its UNT, then dropped.</summary>
    public static DocumentExtraction Extract(Stream stream) => Collect(Messages(stream));

    private static IEnumerable<EdifactMessage> Messages(Stream stream)
    {
        var reader = new EdifactSegmentReader(stream);
        var charset = EdifactCharset.Default;
        EdifactMessage? message = null;
        RawSegment? raw;
        while ((raw = reader.Read()) is not null)
        {
            switch (raw.Tag)
            {
                case "UNB":
                    charset = EdifactCharset.Find(EdifactParser.ToSegment(raw, charset).Get(1, 0)) ?? EdifactCharset.Default;
                    break;
                case "UNH":
                    if (message is not null)
                    {
                        yield return message; // a UNH without UNT before it: still a document
                    }
                    message = new EdifactMessage(EdifactParser.ToSegment(raw, charset));
                    break;
                case "UNT" or "UNZ":
                    if (message is not null)
                    {
                        yield return message;
                    }
                    message = null;
                    break;
                default:
                    if (message is not null && message.Body.Count < MaxIdentitySegments && IdentityTags.Contains(raw.Tag))
                    {
                        message.Body.Add(EdifactParser.ToSegment(raw, charset));
                    }
                    break;
            }
        }
        if (message is not null)
        {
            yield return message;
        }
    }

    private static DocumentExtraction Collect(IEnumerable<EdifactMessage> messages)
    {
        var documents = new List<BusinessDocument>();
        var warnings = new List<string>();
        var index = 0;
        foreach (var message in messages)
        {
            var position = index++;
            if (!IsDocument(message.Type))
            {
                continue;
            }
            var document = Extract(message, position);
            if (document.Number.Length == 0)
            {
                warnings.Add($"message {document.MessageReference} ({message.Type}): no document number (BGM 1004), recorded with an empty number");
            }
            documents.Add(document);
        }
        return new DocumentExtraction(documents, warnings);
    }

    public static BusinessDocument Extract(EdifactMessage message, int index)
    {
        var bgm = message.Body.FirstOrDefault(s => s.Tag == "BGM");
        var name = bgm?.Get(1) ?? "";
        var functionCode = bgm?.Get(3) ?? "";
        return new BusinessDocument
        {
            MessageIndex = index,
            MessageReference = message.Reference,
            Type = name.Length == 0 ? message.Type : $"{message.Type}/{name}",
            // C106 1004 in D.01B and later, the simple element 1004 before: the first component either way.
            Number = (bgm?.Get(2) ?? "").Trim(),
            FunctionCode = functionCode,
            Function = ToFunction(functionCode),
            IssueDate = IssueDate(message),
            IssuingCountry = PartyCountry(message, IssuerParties) ?? LocationCountry(message, "35", "27") ?? "",
            DestinationCountry = PartyCountry(message, DestinationParties) ?? LocationCountry(message, "28") ?? "",
            ReferencedNumber = ToFunction(functionCode) is DocumentFunction.Replacement or DocumentFunction.Cancellation ? Referenced(message) : "",
        };
    }

    /// <summary>RFF C506: 1153 qualifier, 1154 reference; the first qualifier of the message type's list that is present wins.</summary>
    private static string Referenced(EdifactMessage message)
    {
        var qualifiers = ReferenceQualifiers.GetValueOrDefault(message.Type, DefaultReferenceQualifiers);
        foreach (var qualifier in qualifiers)
        {
            var rff = message.Body.FirstOrDefault(s => s.Tag == "RFF" && s.Get(1, 0) == qualifier && s.Get(1, 1).Length > 0);
            if (rff is not null)
            {
                return rff.Get(1, 1).Trim();
            }
        }
        return "";
    }

    /// <summary>
    /// BGM 1225 (UNCL 1225): 9 original, 5 replacement, 1 cancellation; absent counts as an original (the element is
    /// conditional and senders leave it out for a first issue); 31 copy, 7 duplicate and the rest are Other.
    /// </summary>
    public static DocumentFunction ToFunction(string code) => code switch
    {
        "9" or "" => DocumentFunction.Original,
        "5" => DocumentFunction.Replacement,
        "1" => DocumentFunction.Cancellation,
        _ => DocumentFunction.Other,
    };

    /// <summary>DTM+137 (document issue date), format 102 (CCYYMMDD) or 203 (CCYYMMDDHHMM); anything else is ignored.</summary>
    private static DateOnly? IssueDate(EdifactMessage message)
    {
        foreach (var dtm in message.Body.Where(s => s.Tag == "DTM" && s.Get(1, 0) == "137"))
        {
            var value = dtm.Get(1, 1);
            var format = dtm.Get(1, 2);
            if ((format is "102" or "" && value.Length == 8 || format == "203" && value.Length == 12)
                && DateOnly.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
        }
        return null;
    }

    private static string? PartyCountry(EdifactMessage message, string[] qualifiers)
    {
        foreach (var qualifier in qualifiers)
        {
            var nad = message.Body.FirstOrDefault(s => s.Tag == "NAD" && s.Get(1) == qualifier && s.Get(9).Length > 0);
            if (nad is not null)
            {
                return nad.Get(9).Trim().ToUpperInvariant();
            }
        }
        return null;
    }

    /// <summary>LOC 3227: 35 exportation country, 27 country of origin, 28 country of destination; C517 3225 is the code.</summary>
    private static string? LocationCountry(EdifactMessage message, params string[] qualifiers)
    {
        foreach (var qualifier in qualifiers)
        {
            var loc = message.Body.FirstOrDefault(s => s.Tag == "LOC" && s.Get(1) == qualifier && s.Get(2).Length > 0);
            if (loc is not null)
            {
                return loc.Get(2).Trim().ToUpperInvariant();
            }
        }
        return null;
    }
}

/// <summary>The documents of one interchange, in message order, and one warning per message without a number.</summary>
public sealed record DocumentExtraction(IReadOnlyList<BusinessDocument> Documents, IReadOnlyList<string> Warnings);
