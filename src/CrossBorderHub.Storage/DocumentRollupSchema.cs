namespace CrossBorderHub.Storage;

/// <summary>
/// The statistics rollup: one row per received day x origin x destination x type x partner with the counts and the
/// two latency histograms ("bucket:count ..." of <see cref="StatisticsPeriods.Bucket"/>), kept by
/// <see cref="DocumentRollup"/> in the same transaction as every change to hub_documents. A report reads at most
/// days x groups rows instead of every document; weeks and months are sums of days.
/// </summary>
internal static class DocumentRollupSchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_document_daily", $"""
          received_day {s.Text} NOT NULL,
          origin {s.Text} NOT NULL,
          destination {s.Text} NOT NULL,
          document_type {s.Text} NOT NULL,
          partner {s.Text} NOT NULL,
          documents {s.Integer} NOT NULL,
          delivered {s.Integer} NOT NULL,
          rejected {s.Integer} NOT NULL,
          duplicates {s.Integer} NOT NULL,
          delivery_latency {s.LongText} NOT NULL,
          ack_latency {s.LongText} NOT NULL,
          CONSTRAINT uq_hub_document_daily UNIQUE (received_day, origin, destination, document_type, partner)
        """),
    ];
}
