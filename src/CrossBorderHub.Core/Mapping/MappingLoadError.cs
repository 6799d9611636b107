namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// One reason a mapping cannot be loaded, pointing at the byte an admin must edit: file, line and column (1-based;
/// 0 when the problem is the file as a whole) and the fix. A mapping with any load error never runs.
/// </summary>
public sealed record MappingLoadError(string File, int Line, int Column, string Problem, string Fix)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Problem} Fix: {Fix}";
}
