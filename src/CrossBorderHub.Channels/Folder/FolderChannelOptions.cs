namespace CrossBorderHub.Channels.Folder;

/// <summary>Settings of a folder channel (Type = "folder").</summary>
public sealed class FolderChannelOptions
{
    /// <summary>The folder; relative paths resolve against Hub:DataRoot.</summary>
    public string Path { get; set; } = "";

    /// <summary>Inbound: file mask, e.g. "*.edi". Default: every file.</summary>
    public string Mask { get; set; } = "*";

    /// <summary>
    /// Inbound: a file is picked up only when it has not been written to for this long, so a file still being copied
    /// into the folder is left for a later poll.
    /// </summary>
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Inbound: a file is taken only once two looks at least this far apart saw the same size and modification time
    /// (the poll waits for the second look when the previous poll's is too recent). A writer that pauses is not cut.
    /// </summary>
    public TimeSpan StableInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Inbound: move picked-up files here (relative to DataRoot) instead of deleting them.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>
    /// Inbound: names never taken, as file-name patterns (* and ?), for files still being written under a temporary
    /// name. A list given here replaces the default: *.tmp, *.part, *.filepart, *.crdownload, ~* and dot-files.
    /// </summary>
    public string[]? IgnorePatterns { get; set; }

    /// <summary>
    /// Inbound: a suffix such as ".ready": x.edi is taken only once x.edi.ready exists, and the marker is removed
    /// after x.edi is stored. Default: none (the file is taken once its size and time hold still).
    /// </summary>
    public string? ReadyMarker { get; set; }
}
