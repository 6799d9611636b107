namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// Compiles one kind of mapping (declarative or XSLT) from its folder. Returns the mapping, or null with every load
/// error found (never the first only): an admin fixes a broken mapping in one pass.
/// </summary>
public interface IMappingCompiler
{
    /// <summary>The <c>kind</c> value in mapping.json this compiler handles.</summary>
    string Kind { get; }

    IMapping? Compile(MappingManifest manifest, ICollection<MappingLoadError> errors);
}
