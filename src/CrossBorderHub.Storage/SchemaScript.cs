namespace CrossBorderHub.Storage;

/// <summary>How a database spells the few things the schema needs that differ between databases.</summary>
internal sealed record SchemaSyntax(string Identity, string Text, string Integer, string LongText)
{
    /// <summary>Bytes of unbounded length (blob chunks): BLOB in SQLite, BYTEA in PostgreSQL, VARBINARY(MAX) in SQL Server.</summary>
    public string Binary { get; init; } = "BLOB";

    public Func<string, string, string> CreateTable { get; init; } = (name, body) => $"CREATE TABLE IF NOT EXISTS {name} ({body})";

    public Func<string, string, string, string> CreateIndex { get; init; } = (index, table, columns) => $"CREATE INDEX IF NOT EXISTS {index} ON {table} ({columns})";
}

/// <summary>The schema, written once; each dialect supplies its <see cref="SchemaSyntax"/>.</summary>
internal static class SchemaScript
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_messages", $"""
          id {s.Text} NOT NULL PRIMARY KEY,
          received_at {s.Integer} NOT NULL,
          source_partner {s.Text} NOT NULL,
          source_channel {s.Text} NOT NULL,
          remote_name {s.LongText} NOT NULL,
          blob_hash {s.Text} NOT NULL,
          length {s.Integer} NOT NULL,
          status {s.Text} NOT NULL,
          format {s.Text} NOT NULL,
          document_type {s.Text} NULL,
          sender {s.Text} NULL,
          recipient {s.Text} NULL,
          control_reference {s.Text} NULL,
          is_test {s.Integer} NOT NULL,
          related_message_id {s.Text} NULL,
          reason {s.LongText} NULL,
          updated_at {s.Integer} NOT NULL,
          lease_owner {s.Text} NULL,
          lease_until {s.Integer} NULL
        """),
        s.CreateIndex("ix_hub_messages_status", "hub_messages", "status, received_at"),
        s.CreateIndex("ix_hub_messages_hash", "hub_messages", "blob_hash"),
        s.CreateIndex("ix_hub_messages_interchange", "hub_messages", "sender, control_reference"),
        s.CreateTable("hub_events", $"""
          id {s.Identity},
          message_id {s.Text} NOT NULL,
          at {s.Integer} NOT NULL,
          kind {s.Text} NOT NULL,
          detail {s.LongText} NOT NULL
        """),
        s.CreateIndex("ix_hub_events_message", "hub_events", "message_id, id"),
        s.CreateTable("hub_deliveries", $"""
          id {s.Identity},
          message_id {s.Text} NOT NULL,
          partner {s.Text} NOT NULL,
          file_name {s.Text} NOT NULL,
          blob_hash {s.Text} NOT NULL,
          length {s.Integer} NOT NULL,
          route {s.Text} NOT NULL,
          state {s.Text} NOT NULL,
          attempts {s.Integer} NOT NULL,
          next_attempt_at {s.Integer} NOT NULL,
          last_error {s.LongText} NULL,
          lease_owner {s.Text} NULL,
          lease_until {s.Integer} NULL,
          CONSTRAINT uq_hub_deliveries UNIQUE (message_id, partner)
        """),
        s.CreateIndex("ix_hub_deliveries_due", "hub_deliveries", "state, next_attempt_at"),
        // One row per business document (an EDIFACT message); issue_date is yyyy-MM-dd text so ranges compare everywhere.
        // source_partner, received_* and delivered_at/latency_bucket are copies taken as the message moves, so that
        // statistics read this one table (set-based GROUP BY, no join) on a year of traffic.
        s.CreateTable("hub_documents", $"""
          id {s.Identity},
          message_id {s.Text} NOT NULL,
          message_index {s.Integer} NOT NULL,
          message_reference {s.Text} NOT NULL,
          document_type {s.Text} NOT NULL,
          document_number {s.Text} NOT NULL,
          message_function {s.Text} NOT NULL,
          function_code {s.Text} NOT NULL,
          issue_date {s.Text} NULL,
          issuing_country {s.Text} NOT NULL,
          destination_country {s.Text} NOT NULL,
          recorded_at {s.Integer} NOT NULL,
          referenced_number {s.Text} NOT NULL,
          state {s.Text} NOT NULL,
          has_warning {s.Integer} NOT NULL,
          duplicate_of {s.Integer} NULL,
          supersedes {s.Integer} NULL,
          superseded_by {s.Integer} NULL,
          source_partner {s.Text} NOT NULL,
          source_channel {s.Text} NOT NULL,
          received_at {s.Integer} NOT NULL,
          received_day {s.Text} NOT NULL,
          received_week {s.Text} NOT NULL,
          received_month {s.Text} NOT NULL,
          delivered_at {s.Integer} NULL,
          latency_bucket {s.Integer} NULL,
          acknowledged_at {s.Integer} NULL,
          signature_verified {s.Integer} NULL,
          signer_subject {s.LongText} NULL,
          signer_fingerprint {s.Text} NULL,
          signer_not_before {s.Integer} NULL,
          signer_not_after {s.Integer} NULL,
          signature_detail {s.LongText} NULL
        """),
        s.CreateIndex("ix_hub_documents_number", "hub_documents", "document_number, issuing_country"),
        s.CreateIndex("ix_hub_documents_message", "hub_documents", "message_id, message_index"),
        s.CreateIndex("ix_hub_documents_received", "hub_documents", "received_at"),
        // Business duplicates: one row per (type, number, issuer, function), taken by the first document that reaches
        // routing; the constraint, not a read-then-write, decides between two copies processed at the same time.
        s.CreateTable("hub_document_keys", $"""
          document_type {s.Text} NOT NULL,
          document_number {s.Text} NOT NULL,
          issuer {s.Text} NOT NULL,
          message_function {s.Text} NOT NULL,
          document_id {s.Integer} NOT NULL,
          claimed_at {s.Integer} NOT NULL,
          CONSTRAINT uq_hub_document_keys UNIQUE (document_type, document_number, issuer, message_function)
        """),
        s.CreateIndex("ix_hub_document_keys_document", "hub_document_keys", "document_id"),
        // Every authenticity lookup (GET /api/documents/verify, hub documents verify), answered or not.
        s.CreateTable("hub_document_lookups", $"""
          id {s.Identity},
          at {s.Integer} NOT NULL,
          document_type {s.Text} NOT NULL,
          document_number {s.Text} NOT NULL,
          country {s.Text} NOT NULL,
          document_id {s.Integer} NULL,
          answer {s.Text} NOT NULL,
          asked_by {s.Text} NOT NULL
        """),
        .. SecuritySchema.For(s),
        .. ConfigurationSchema.For(s),
        .. DocumentRollupSchema.For(s),
        .. AlertSchema.For(s),
        .. CertificateSchema.For(s),
        .. ScaleOutSchema.For(s),
    ];
}
