namespace CrossBorderHub.Storage;

/// <summary>
/// The alert state (IAlertStore): one row per alert key. A key raised again after it cleared reuses its row, so the
/// primary key is what lets only one of several instances open (and so notify) it.
/// </summary>
internal static class AlertSchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_alerts", $"""
          alert_key {s.Text} NOT NULL PRIMARY KEY,
          rule_name {s.Text} NOT NULL,
          summary {s.LongText} NOT NULL,
          detail {s.LongText} NOT NULL,
          raised_at {s.Integer} NOT NULL,
          cleared_at {s.Integer} NULL
        """),
    ];
}
