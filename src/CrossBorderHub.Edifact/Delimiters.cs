namespace CrossBorderHub.Edifact;

/// <summary>
/// The service characters of an interchange (ISO 9735 UNA): component, element, decimal mark, release character,
/// repetition separator (syntax 4; 0 = none) and segment terminator.
/// </summary>
public readonly record struct Delimiters(byte Component, byte Element, byte Decimal, byte Release, byte Repetition, byte Segment)
{
    /// <summary>The level A defaults `:+.? '` without repetition (syntax versions 1 to 3).</summary>
    public static Delimiters Default { get; } = new((byte)':', (byte)'+', (byte)'.', (byte)'?', 0, (byte)'\'');

    /// <summary>The syntax 4 defaults: as <see cref="Default"/> plus the repetition separator `*`.</summary>
    public static Delimiters DefaultSyntax4 { get; } = Default with { Repetition = (byte)'*' };

    /// <summary>Level B defaults (UNOB without UNA): IS1..IS4 control characters and no release character.</summary>
    public static Delimiters LevelB { get; } = new(0x1F, 0x1D, (byte)'.', 0, 0, 0x1C);

    /// <summary>Reads the six characters after "UNA". A space as repetition (or release) means "not used".</summary>
    public static Delimiters FromUna(ReadOnlySpan<byte> six) =>
        new(six[0], six[1], six[2], six[3] == (byte)' ' ? (byte)0 : six[3], six[4] == (byte)' ' ? (byte)0 : six[4], six[5]);

    /// <summary>The six characters for a UNA segment (space for an unused release or repetition character).</summary>
    public byte[] ToUna() =>
        [Component, Element, Decimal, Release == 0 ? (byte)' ' : Release, Repetition == 0 ? (byte)' ' : Repetition, Segment];

    public bool IsDelimiter(byte b) =>
        b == Component || b == Element || b == Segment || (Release != 0 && b == Release) || (Repetition != 0 && b == Repetition);
}
