namespace CrossBorderHub.Core.Mapping;

/// <summary>What a mapping is, as the events, `hub mappings` and the admin web show it.</summary>
/// <param name="Name">The folder name under mappings/, e.g. <c>cusdec-d96b-to-wco-dec</c>.</param>
/// <param name="Version">The version the admin wrote in mapping.json.</param>
/// <param name="ContentHash">SHA-256 (lowercase hex) over every file the mapping was compiled from, so two loads of
/// the same version with different content are told apart.</param>
/// <param name="Kind"><c>declarative</c> or <c>xslt</c>.</param>
/// <param name="Source">Source format and the standard it is checked against.</param>
/// <param name="Target">Target format and the standard its output is validated against.</param>
public sealed record MappingDescriptor(
    string Name,
    string Version,
    string ContentHash,
    string Kind,
    MappingEnd Source,
    MappingEnd Target);

/// <summary>
/// One side of a mapping. <paramref name="Format"/> is <c>edifact</c> or <c>xml</c>. For EDIFACT,
/// <paramref name="Standard"/> is the directory and message (e.g. <c>D96B/CUSDEC</c>); for XML, the schema pack name
/// (e.g. <c>wco-dec</c>), or null when no pack describes it.
/// </summary>
public sealed record MappingEnd(string Format, string? Standard);
