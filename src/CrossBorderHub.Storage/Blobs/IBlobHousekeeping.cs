namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// The orphan sweep and its gauges over either blob store: what a killed intake can leave behind (temporary files
/// for <see cref="FileBlobStore"/>, chunk rows no blob names for <see cref="DatabaseBlobStore"/>).
/// </summary>
public interface IBlobHousekeeping
{
    /// <summary>Where the leftovers are looked for, for the log line.</summary>
    string IncomingFolder { get; }

    /// <summary>Removes leftovers nobody changed within <paramref name="minimumAge"/> and nobody is writing now.</summary>
    OrphanSweep SweepOrphans(TimeSpan minimumAge, DateTimeOffset now);

    /// <summary>Leftovers and writes in progress present now, and how many are older than <paramref name="minimumAge"/>.</summary>
    (int Present, int Orphans) CountIncoming(TimeSpan minimumAge, DateTimeOffset now);
}
