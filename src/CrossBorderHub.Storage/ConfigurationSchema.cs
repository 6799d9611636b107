namespace CrossBorderHub.Storage;

/// <summary>
/// The versions of the partners and routes (DapperConfigurationVersions). The version number is the primary key and
/// is chosen as newest + 1 when saving: two instances saving at once cannot both get the same number.
/// </summary>
internal static class ConfigurationSchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_config_versions", $"""
          version {s.Integer} NOT NULL PRIMARY KEY,
          saved_at {s.Integer} NOT NULL,
          user_name {s.Text} NOT NULL,
          comment {s.LongText} NOT NULL,
          config_json {s.LongText} NOT NULL,
          file_hash {s.Text} NULL
        """),
    ];
}
