namespace CrossBorderHub.Core.Mapping;

/// <summary>The result of mapping one document: mapped, or every reason it could not be.</summary>
public sealed record MappingOutcome(IReadOnlyList<MappingFinding> Findings)
{
    public static readonly MappingOutcome Mapped = new([]);

    public bool Succeeded => Findings.Count == 0;

    public static MappingOutcome Failed(params MappingFinding[] findings) => new(findings);
}

/// <summary>Why a document could not be mapped: the source path (e.g. <c>SG7/NAD[3035=DT]/C080/3036</c> or an XPath)
/// and what was missing or wrong there.</summary>
public sealed record MappingFinding(string SourcePath, string Message);
