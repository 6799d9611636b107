namespace CrossBorderHub.Storage;

/// <summary>
/// Partners' certificates uploaded in the admin web: the public certificate only (PEM), with what pinning and the
/// certificates page need read out of it. Kept apart from <see cref="SchemaScript"/> like <see cref="SecuritySchema"/>.
/// </summary>
internal static class CertificateSchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_certificates", $"""
          id {s.Identity},
          partner {s.Text} NOT NULL,
          uses {s.Text} NOT NULL,
          fingerprint {s.Text} NOT NULL,
          subject {s.LongText} NOT NULL,
          issuer {s.LongText} NOT NULL,
          not_before {s.Integer} NOT NULL,
          not_after {s.Integer} NOT NULL,
          pem {s.LongText} NOT NULL,
          uploaded_at {s.Integer} NOT NULL,
          uploaded_by {s.Text} NOT NULL,
          CONSTRAINT uq_hub_certificates UNIQUE (partner, fingerprint)
        """),
    ];
}
