using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Core.Configuration;

/// <summary>
/// Hub:Partners:X:Tolerance: which deviations from ISO 9735 the agreement with this partner tolerates in what it sends
/// (as warnings). A named profile, then any switch set here overrides it (docs/edifact-tolerance.md).
/// </summary>
public sealed class EdifactToleranceOptions
{
    /// <summary>strict (default: the letter of ISO 9735) or lenient.</summary>
    public string Profile { get; set; } = "strict";

    public bool? TrailingSeparators { get; set; }

    public bool? RepertoireCharacters { get; set; }

    public bool? EitherSyntaxDateFormat { get; set; }

    public bool? UnlistedServiceFlags { get; set; }

    public bool? IataSyntaxIdentifiers { get; set; }

    public bool? NumericFormats { get; set; }

    /// <summary>Characters a data element may exceed its directory maximum by (0 to 35).</summary>
    public int? LengthMargin { get; set; }

    /// <summary>Largest margin accepted: beyond it a "length check" no longer checks anything.</summary>
    public const int MaxLengthMargin = 35;

    /// <summary>
    /// The validator's options record: <paramref name="profileOverride"/> (from `hub validate --profile`) replaces the
    /// named profile and drops this partner's switches; otherwise the partner's profile with its switches on top.
    /// </summary>
    public static EdifactTolerance Resolve(EdifactToleranceOptions? partner, string? profileOverride)
    {
        if (profileOverride is not null)
        {
            return EdifactTolerance.Named(profileOverride) ?? EdifactTolerance.Strict;
        }
        if (partner is null)
        {
            return EdifactTolerance.Strict;
        }
        var profile = EdifactTolerance.Named(partner.Profile) ?? EdifactTolerance.Strict;
        return profile with
        {
            TrailingSeparators = partner.TrailingSeparators ?? profile.TrailingSeparators,
            RepertoireCharacters = partner.RepertoireCharacters ?? profile.RepertoireCharacters,
            EitherSyntaxDateFormat = partner.EitherSyntaxDateFormat ?? profile.EitherSyntaxDateFormat,
            UnlistedServiceFlags = partner.UnlistedServiceFlags ?? profile.UnlistedServiceFlags,
            IataSyntaxIdentifiers = partner.IataSyntaxIdentifiers ?? profile.IataSyntaxIdentifiers,
            NumericFormats = partner.NumericFormats ?? profile.NumericFormats,
            LengthMargin = partner.LengthMargin ?? profile.LengthMargin,
        };
    }

    /// <summary>Every error of this section, each naming the setting and the fix.</summary>
    public void Validate(string path, ICollection<string> errors)
    {
        if (EdifactTolerance.Named(Profile) is null)
        {
            errors.Add($"{path}:Profile '{Profile}' is unknown: use one of {string.Join(", ", EdifactTolerance.Names)}.");
        }
        if (LengthMargin is < 0 or > MaxLengthMargin)
        {
            errors.Add($"{path}:LengthMargin {LengthMargin} is out of range: use 0 to {MaxLengthMargin} characters.");
        }
    }
}
