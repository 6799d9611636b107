namespace CrossBorderHub.Core.Configuration;

/// <summary>Hub:Blobs: the payload store.</summary>
public sealed class BlobOptions
{
    /// <summary>
    /// File (default): content-addressed files under DataRoot/blobs, for one instance (or a shared volume).
    /// Postgres: rows in the shared PostgreSQL store (Hub:Store:Provider Postgres), so instances share nothing else.
    /// </summary>
    public string Provider { get; set; } = "File";
}
