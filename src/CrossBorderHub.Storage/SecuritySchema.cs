namespace CrossBorderHub.Storage;

/// <summary>
/// The admin web's tables: users, their API tokens (a SHA-256 hash, never the token) and the audit trail.
/// Kept apart from <see cref="SchemaScript"/> so that the message tables and these change independently.
/// </summary>
internal static class SecuritySchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_users", $"""
          user_name {s.Text} NOT NULL PRIMARY KEY,
          role_name {s.Text} NOT NULL,
          password_hash {s.LongText} NOT NULL,
          failed_logins {s.Integer} NOT NULL,
          locked_until {s.Integer} NULL,
          created_at {s.Integer} NOT NULL
        """),
        s.CreateTable("hub_api_tokens", $"""
          token_hash {s.Text} NOT NULL PRIMARY KEY,
          user_name {s.Text} NOT NULL,
          created_at {s.Integer} NOT NULL
        """),
        s.CreateIndex("ix_hub_api_tokens_user", "hub_api_tokens", "user_name"),
        s.CreateTable("hub_audit", $"""
          id {s.Identity},
          at {s.Integer} NOT NULL,
          user_name {s.Text} NOT NULL,
          remote_address {s.Text} NULL,
          action {s.Text} NOT NULL,
          detail {s.LongText} NOT NULL
        """),
    ];
}
