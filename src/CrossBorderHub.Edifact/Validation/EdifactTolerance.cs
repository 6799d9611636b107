namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Which deviations from the letter of ISO 9735 an interchange agreement tolerates. A tolerated deviation is still
/// found and reported, as a <see cref="EdifactSeverity.Warning"/> instead of an error, so nothing is silently dropped;
/// counts, references, missing trailers and unknown segment tags are errors whatever the profile says.
/// </summary>
public sealed record EdifactTolerance
{
    /// <summary>The letter of ISO 9735: every deviation is an error.</summary>
    public static EdifactTolerance Strict { get; } = new();

    /// <summary>What partners' software commonly sends: every switch on, lengths one character over the maximum.</summary>
    public static EdifactTolerance Lenient { get; } = new()
    {
        TrailingSeparators = true,
        RepertoireCharacters = true,
        EitherSyntaxDateFormat = true,
        UnlistedServiceFlags = true,
        IataSyntaxIdentifiers = true,
        NumericFormats = true,
        LengthMargin = 1,
    };

    /// <summary>Empty data elements or components left at the end of a segment or composite (ISO 9735 clause 7.3, 7.5).</summary>
    public bool TrailingSeparators { get; init; }

    /// <summary>
    /// Characters outside the repertoire UNB declares that its encoding can still carry, such as lower case letters
    /// under UNOA (printable 7-bit ASCII under UNOA/UNOB; clause 5). Control characters and bytes the encoding cannot
    /// carry stay errors.
    /// </summary>
    public bool RepertoireCharacters { get; init; }

    /// <summary>The UNB/UNG date of the other syntax version: 8 digits (CCYYMMDD) under syntax 1-3, 6 (YYMMDD) under 4.</summary>
    public bool EitherSyntaxDateFormat { get; init; }

    /// <summary>UNB 0031 acknowledgement request and 0035 test indicator values other than '1' (only '1' asks/means test).</summary>
    public bool UnlistedServiceFlags { get; init; }

    /// <summary>The IATA syntax identifiers IATA and IATB, read as UNOA and UNOB.</summary>
    public bool IataSyntaxIdentifiers { get; init; }

    /// <summary>
    /// Numeric values with insignificant leading zeros that make them longer than the maximum (clause 7), or with a
    /// decimal mark without a digit before or after it (".5", "2."; clause 10.1).
    /// </summary>
    public bool NumericFormats { get; init; }

    /// <summary>Characters a data element may exceed its directory maximum length by (0: none).</summary>
    public int LengthMargin { get; init; }

    /// <summary>The profile by its name, "strict" or "lenient" (case-insensitive); null for any other name.</summary>
    public static EdifactTolerance? Named(string? name) => name?.ToLowerInvariant() switch
    {
        "strict" => Strict,
        "lenient" => Lenient,
        _ => null,
    };

    /// <summary>The profile names <see cref="Named"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["strict", "lenient"];

    internal static EdifactSeverity SeverityOf(bool tolerated) => tolerated ? EdifactSeverity.Warning : EdifactSeverity.Error;
}
