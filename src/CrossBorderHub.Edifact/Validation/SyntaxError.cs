namespace CrossBorderHub.Edifact.Validation;

/// <summary>ISO 9735 syntax error codes (data element 0085), as reported in CONTRL UCI/UCM/UCS/UCD.</summary>
public enum SyntaxError
{
    SyntaxVersionOrLevelNotSupported = 2,
    InvalidValue = 12,
    Missing = 13,
    ValueNotSupportedInPosition = 14,
    NotSupportedInPosition = 15,
    TooManyConstituents = 16,
    UnspecifiedError = 18,
    InvalidDecimalNotation = 19,
    CharacterInvalidAsServiceCharacter = 20,
    InvalidCharacters = 21,
    DuplicateDetected = 26,
    ReferencesDoNotMatch = 28,
    ControlCountDoesNotMatch = 29,
    GroupsAndMessagesMixed = 30,
    MoreThanOneMessageTypeInGroup = 31,
    LowerLevelEmpty = 32,
    InvalidOccurrenceOutsideMessage = 33,
    TooManyRepetitions = 35,
    TooManySegmentGroupRepetitions = 36,
    InvalidTypeOfCharacters = 37,
    MissingDigitBeforeDecimal = 38,
    DataElementTooLong = 39,
    DataElementTooShort = 40,
    TrailingSeparator = 45,
    CharacterSetNotSupported = 46,
}

/// <summary>How deep validation goes; each level includes the ones before it.</summary>
public enum ValidationLevel
{
    /// <summary>Tokens: tags, terminators, separators, characters of the repertoire.</summary>
    Syntax,

    /// <summary>UNB/UNZ, UNG/UNE, UNH/UNT: counts, references, mandatory service fields and formats.</summary>
    Envelope,

    /// <summary>The message structure, segments, composites and elements from the UNH directory.</summary>
    Directory,

    /// <summary>Also every coded element against its UNCL code list.</summary>
    Codes,
}

/// <summary>
/// How much a finding weighs: only errors reject the interchange or a message (and appear in a CONTRL); an info
/// finding records what was deliberately not checked, e.g. a code of another agency's list.
/// </summary>
public enum EdifactSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One problem found. <see cref="Element"/> is the data element position after the tag (1 = first), 0 for the
/// segment itself; <see cref="Component"/> is 1-based, 0 when the finding is about the whole element.
/// <see cref="MessageIndex"/> and <see cref="PositionInMessage"/> (UNH = 1) locate it for CONTRL.
/// </summary>
public sealed record EdifactFinding(SyntaxError Code, string Message, int SegmentNumber, long Offset, string Tag,
    int Element = 0, int Component = 0, int Repetition = 0)
{
    public int MessageIndex { get; init; } = -1;

    public EdifactSeverity Severity { get; init; } = EdifactSeverity.Error;

    public bool IsError => Severity == EdifactSeverity.Error;

    public int PositionInMessage { get; init; }

    /// <summary>True when the finding is about the group envelope (UNG/UNE) of group <see cref="GroupIndex"/>.</summary>
    public int GroupIndex { get; init; } = -1;

    public int CodeNumber => (int)Code;

    public string Position => Component > 0 ? $"{Element}:{Component}" : Element.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Location => $"seg {SegmentNumber} offset {Offset} {Tag} pos {Position}";

    public override string ToString() => $"{Location}: {Severity.ToString().ToUpperInvariant()} {CodeNumber}: {Message}";
}
