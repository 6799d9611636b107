namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// mapping.json in a mapping folder: what the mapping is and which file holds its rules. Read by the catalog before
/// the kind's compiler runs, so a broken manifest is reported the same way as a broken rule.
/// </summary>
/// <param name="Folder">Absolute path of mappings/&lt;name&gt;/.</param>
/// <param name="Name">The folder name.</param>
/// <param name="Version">Admin-written version, e.g. <c>1.2</c>.</param>
/// <param name="Kind"><c>declarative</c> or <c>xslt</c>.</param>
/// <param name="Source">Source side.</param>
/// <param name="Target">Target side.</param>
/// <param name="RulesFile">Absolute path of the rules file (the declarative file or the .xsl stylesheet).</param>
public sealed record MappingManifest(
    string Folder,
    string Name,
    string Version,
    string Kind,
    MappingEnd Source,
    MappingEnd Target,
    string RulesFile);
