namespace CrossBorderHub.Storage;

/// <summary>
/// What several instances share beyond messages: the AS2 state (<see cref="DapperAs2State"/>) and, with
/// Hub:Blobs:Provider = Postgres, the payloads (<see cref="Blobs.DatabaseBlobStore"/>). Records are keyed by a SHA-256
/// of their natural key, so a Message-ID of any length fits an indexed text column on every database.
/// </summary>
internal static class ScaleOutSchema
{
    public static IReadOnlyList<string> For(SchemaSyntax s) =>
    [
        s.CreateTable("hub_as2_seen", $"""
          seen_key {s.Text} NOT NULL PRIMARY KEY,
          partner {s.Text} NOT NULL,
          at {s.Integer} NOT NULL,
          record {s.LongText} NOT NULL
        """),
        s.CreateIndex("ix_hub_as2_seen_at", "hub_as2_seen", "at"),
        // The sender's record and the receiver's verdict are separate rows: neither ever overwrites the other.
        s.CreateTable("hub_as2_pending", $"""
          pending_key {s.Text} NOT NULL PRIMARY KEY,
          at {s.Integer} NOT NULL,
          record {s.LongText} NOT NULL
        """),
        s.CreateTable("hub_as2_verdicts", $"""
          pending_key {s.Text} NOT NULL PRIMARY KEY,
          at {s.Integer} NOT NULL,
          record {s.LongText} NOT NULL
        """),
        // A blob is a row naming its chunks once all of them are written (same transaction); chunks are 1 MB rows
        // under the upload's own key, because the content hash is known only after the last byte.
        s.CreateTable("hub_blobs", $"""
          sha256 {s.Text} NOT NULL PRIMARY KEY,
          length {s.Integer} NOT NULL,
          chunk_size {s.Integer} NOT NULL,
          upload_key {s.Text} NOT NULL,
          created_at {s.Integer} NOT NULL
        """),
        s.CreateTable("hub_blob_chunks", $"""
          upload_key {s.Text} NOT NULL,
          chunk_no {s.Integer} NOT NULL,
          written_at {s.Integer} NOT NULL,
          bytes {s.Binary} NOT NULL,
          CONSTRAINT pk_hub_blob_chunks PRIMARY KEY (upload_key, chunk_no)
        """),
    ];
}
