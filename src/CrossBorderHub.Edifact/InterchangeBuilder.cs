using System.Globalization;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact;

/// <summary>
/// Builds a new interchange: UNA (optional), UNB with the date/time given, the messages (UNT segment count and
/// reference filled in), optional functional groups (UNE counts), and UNZ with the right count and reference.
/// </summary>
public sealed class InterchangeBuilder
{
    private readonly List<(string? GroupType, EdifactMessage Message)> _messages = [];

    public InterchangeBuilder(string syntaxIdentifier, int syntaxVersion, string sender, string recipient, string controlReference, DateTimeOffset preparedAt)
    {
        SyntaxIdentifier = syntaxIdentifier;
        SyntaxVersion = syntaxVersion;
        Sender = sender;
        Recipient = recipient;
        ControlReference = controlReference;
        PreparedAt = preparedAt;
        Delimiters = syntaxVersion >= 4 ? Delimiters.DefaultSyntax4 : Delimiters.Default;
    }

    public string SyntaxIdentifier { get; }

    public int SyntaxVersion { get; }

    public string Sender { get; }

    public string? SenderQualifier { get; init; }

    public string Recipient { get; }

    public string? RecipientQualifier { get; init; }

    public string ControlReference { get; }

    public DateTimeOffset PreparedAt { get; }

    public Delimiters Delimiters { get; init; }

    public bool WriteUna { get; init; } = true;

    public bool AcknowledgementRequested { get; init; }

    public bool IsTest { get; init; }

    public string? ApplicationReference { get; init; }

    /// <summary>Layout after each segment ("" by default; "\r\n" for readability).</summary>
    public string SegmentSeparator { get; init; } = "";

    /// <summary>Adds a message; UNH and UNT are created here. <paramref name="body"/> excludes them.</summary>
    public InterchangeBuilder AddMessage(string reference, string type, string version, string release, string agency, IEnumerable<Segment> body, string? associationCode = null)
    {
        var identifier = associationCode is null ? new Element(type, version, release, agency) : new Element(type, version, release, agency, associationCode);
        var message = new EdifactMessage(new Segment("UNH", new Element(reference), identifier));
        message.Body.AddRange(body);
        message.Trailer = new Segment("UNT", new Element(EdifactWriter.Number(message.Body.Count + 2)), new Element(reference));
        _messages.Add((null, message));
        return this;
    }

    public Interchange Build()
    {
        var interchange = new Interchange { Delimiters = Delimiters, Charset = EdifactCharset.Find(SyntaxIdentifier) ?? EdifactCharset.Default };
        if (WriteUna)
        {
            interchange.Una = new Segment("UNA");
            interchange.Segments.Add(interchange.Una);
        }
        var date = PreparedAt.ToString(SyntaxVersion >= 4 ? "yyyyMMdd" : "yyMMdd", CultureInfo.InvariantCulture);
        var time = PreparedAt.ToString("HHmm", CultureInfo.InvariantCulture);
        var unb = new Segment("UNB",
            new Element(SyntaxIdentifier, EdifactWriter.Number(SyntaxVersion)),
            SenderQualifier is null ? new Element(Sender) : new Element(Sender, SenderQualifier),
            RecipientQualifier is null ? new Element(Recipient) : new Element(Recipient, RecipientQualifier),
            new Element(date, time),
            new Element(ControlReference),
            new Element(""),
            new Element(ApplicationReference ?? ""),
            new Element(""),
            new Element(AcknowledgementRequested ? "1" : ""),
            new Element(""),
            new Element(IsTest ? "1" : ""));
        interchange.Header = unb;
        interchange.Segments.Add(unb);
        foreach (var (_, message) in _messages)
        {
            interchange.Messages.Add(message);
            interchange.Segments.AddRange(message.Segments);
        }
        interchange.Trailer = new Segment("UNZ", new Element(EdifactWriter.Number(_messages.Count)), new Element(ControlReference));
        interchange.Segments.Add(interchange.Trailer);
        return interchange;
    }

    public byte[] ToBytes()
    {
        var interchange = Build();
        using var ms = new MemoryStream();
        var writer = new EdifactWriter(ms, interchange.Delimiters, interchange.Charset, SegmentSeparator);
        foreach (var segment in interchange.Segments)
        {
            writer.WriteSegment(segment);
        }
        return ms.ToArray();
    }
}
