namespace CrossBorderHub.Edifact.Model;

/// <summary>A message: UNH, its body segments and UNT.</summary>
public sealed class EdifactMessage
{
    public EdifactMessage(Segment header)
    {
        Header = header;
    }

    public Segment Header { get; }

    public List<Segment> Body { get; } = [];

    public Segment? Trailer { get; set; }

    public string Reference => Header.Get(1);

    public string Type => Header.Get(2, 0);

    public string Version => Header.Get(2, 1);

    public string Release => Header.Get(2, 2);

    public string Agency => Header.Get(2, 3);

    /// <summary>UNH, body and UNT in order.</summary>
    public IEnumerable<Segment> Segments => Body.Prepend(Header).Concat(Trailer is null ? [] : [Trailer]);
}

/// <summary>A functional group: UNG, its messages, UNE.</summary>
public sealed class FunctionalGroup
{
    public FunctionalGroup(Segment header)
    {
        Header = header;
    }

    public Segment Header { get; }

    public List<EdifactMessage> Messages { get; } = [];

    public Segment? Trailer { get; set; }

    public string Reference => Header.Get(5);
}

/// <summary>
/// An interchange as read: every segment in order (for a byte-exact round trip) plus the structure — UNB,
/// functional groups or messages, UNZ. Building a new one is done with <see cref="InterchangeBuilder"/>.
/// </summary>
public sealed class Interchange
{
    public Delimiters Delimiters { get; set; } = Delimiters.Default;

    public EdifactCharset Charset { get; set; } = EdifactCharset.Default;

    /// <summary>Every segment as read, UNA included, in file order.</summary>
    public List<Segment> Segments { get; } = [];

    /// <summary>Bytes after the last segment (a final CR/LF).</summary>
    public byte[] Trailing { get; set; } = [];

    public Segment? Una { get; set; }

    public Segment? Header { get; set; }

    public Segment? Trailer { get; set; }

    public List<FunctionalGroup> Groups { get; } = [];

    /// <summary>Messages outside any group.</summary>
    public List<EdifactMessage> Messages { get; } = [];

    /// <summary>Every message, grouped or not, in order.</summary>
    public IEnumerable<EdifactMessage> AllMessages => Messages.Concat(Groups.SelectMany(g => g.Messages));

    public string SyntaxIdentifier => Header?.Get(1, 0) ?? "";

    public int SyntaxVersion => int.TryParse(Header?.Get(1, 1), out var v) ? v : 0;

    public string Sender => Header?.Get(2, 0) ?? "";

    public string Recipient => Header?.Get(3, 0) ?? "";

    public string ControlReference => Header?.Get(5) ?? "";
}
