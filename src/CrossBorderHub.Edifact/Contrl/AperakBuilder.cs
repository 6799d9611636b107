using System.Globalization;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact.Contrl;

/// <summary>An application error to report in APERAK: ERC error code (9321, an..8) and a free text.</summary>
public sealed record ApplicationError(string Code, string Text);

/// <summary>
/// Builds an APERAK (application error and acknowledgement, D.96B layout: BGM, DTM, SG1 RFF, SG3 ERC/FTX) that
/// answers one message of an interchange. Texts are cut into FTX 4440 pieces of 70 characters.
/// </summary>
public static class AperakBuilder
{
    public static byte[] Build(string sender, string recipient, string controlReference, DateTimeOffset preparedAt,
        string originalInterchangeReference, string originalMessageReference, IReadOnlyList<ApplicationError> errors,
        string syntaxIdentifier = "UNOC", int syntaxVersion = 3)
    {
        var body = new List<Segment>
        {
            // 962 = document response (Customs); 1225 9 = original; 4343 response type: AP accepted / RE rejected.
            new("BGM", new Element("962"), new Element(Clip(controlReference, 35)), new Element("9"), new Element(errors.Count == 0 ? "AP" : "RE")),
            new("DTM", new Element("137", preparedAt.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture), "203")),
            new("RFF", new Element("ACW", Clip(originalMessageReference, 35))),
            new("RFF", new Element("ACE", Clip(originalInterchangeReference, 35))),
        };
        // SG1 allows 9 occurrences of RFF; the second goes in its own SG1 occurrence (RFF is the trigger).
        foreach (var error in errors.Take(99999))
        {
            body.Add(new Segment("ERC", new Element(Clip(error.Code, 8))));
            var text = error.Text.Length == 0 ? "-" : error.Text;
            var parts = Enumerable.Range(0, Math.Min(5, (text.Length + 69) / 70)).Select(i => text.Substring(i * 70, Math.Min(70, text.Length - i * 70))).ToArray();
            var ftx = new List<Element> { new("AAO"), new(""), new("") };
            ftx.Add(new Element(parts));
            body.Add(new Segment("FTX", [.. ftx]));
        }
        var builder = new InterchangeBuilder(syntaxIdentifier, syntaxVersion, sender, recipient, controlReference, preparedAt)
        {
            Delimiters = syntaxVersion >= 4 ? Delimiters.DefaultSyntax4 : Delimiters.Default,
            SegmentSeparator = "\r\n",
        };
        builder.AddMessage("1", "APERAK", "D", "96B", "UN", body);
        return builder.ToBytes();
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}
