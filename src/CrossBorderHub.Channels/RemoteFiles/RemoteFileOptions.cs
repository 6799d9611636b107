namespace CrossBorderHub.Channels.RemoteFiles;

/// <summary>Settings shared by the SFTP and FTP channels (bound from the partner's Inbound/Outbound section).</summary>
public class RemoteFileOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; }

    public string Username { get; set; } = "";

    /// <summary>Prefer <see cref="PasswordEnv"/> or the environment variable Hub__Partners__X__Inbound__Password.</summary>
    public string? Password { get; set; }

    /// <summary>The name of an environment variable holding the password, e.g. "CN_SFTP_PASSWORD".</summary>
    public string? PasswordEnv { get; set; }

    /// <summary>The remote folder to poll (inbound) or deliver into (outbound).</summary>
    public string RemotePath { get; set; } = ".";

    /// <summary>Inbound: file mask, e.g. "*.edi" (* and ? wildcards). Default: every file.</summary>
    public string Mask { get; set; } = "*";

    /// <summary>Inbound: a file is picked up only once its remote modification time is at least this old.</summary>
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Inbound: a file is taken only once two listings at least this far apart saw the same size and modification
    /// time (the poll lists again after this wait when needed). Remote times have whole-second resolution, so the
    /// age alone lets an upload in progress through. Default 2 s; with <see cref="RequireStableSize"/> and no value,
    /// the two looks are two polls.
    /// </summary>
    public TimeSpan? StableInterval { get; set; }

    /// <summary>Inbound (kept for existing configurations): true makes the two looks two polls in a row.</summary>
    public bool RequireStableSize { get; set; }

    internal TimeSpan EffectiveStableInterval => StableInterval ?? (RequireStableSize ? TimeSpan.Zero : TimeSpan.FromSeconds(2));

    /// <summary>Inbound: move picked-up files into this remote folder instead of deleting them.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>Outbound: uploads go to this prefix + name first, then are renamed; inbound skips such names.</summary>
    public string TempPrefix { get; set; } = ".hub-tmp-";

    /// <summary>
    /// Inbound: names this hub instance in claim names (.hub-claim-INSTANCE-name) so several hubs polling one folder
    /// never pick up the same file; keep it stable across restarts so a claim left by a crash is resumed.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Inbound: files picked up at once over the poll's one connection (SFTP only; FTP is sequential). Small files
    /// are dominated by round trips, so a few in flight multiply the files per second.
    /// </summary>
    public int Parallelism { get; set; } = 8;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Connection attempts per poll or send, with <see cref="RetryBackoff"/> doubling between them.</summary>
    public int ConnectAttempts { get; set; } = 3;

    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

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

    internal string? ResolvePassword() =>
        !string.IsNullOrEmpty(Password) ? Password
        : !string.IsNullOrWhiteSpace(PasswordEnv) ? Environment.GetEnvironmentVariable(PasswordEnv)
        : null;

    /// <summary>Joins a remote folder and a file name with '/', the separator of both SFTP and FTP.</summary>
    internal static string Combine(string folder, string name) =>
        folder.Length == 0 || folder == "." ? name : folder.EndsWith('/') ? folder + name : folder + "/" + name;

    /// <summary>The checks both transports share; each error names the setting and the fix.</summary>
    internal void Validate(string path, bool inbound, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add($"{path}:Host is empty: set the server's host name or address.");
        }
        if (Port is < 0 or > 65535)
        {
            errors.Add($"{path}:Port {Port} is out of range: use 1-65535 (or leave it out for the default).");
        }
        if (string.IsNullOrWhiteSpace(Username))
        {
            errors.Add($"{path}:Username is empty: set the account to log in with.");
        }
        if (!string.IsNullOrWhiteSpace(PasswordEnv) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PasswordEnv)))
        {
            errors.Add($"{path}:PasswordEnv names the environment variable '{PasswordEnv}', which is not set: set it or remove PasswordEnv.");
        }
        if (string.IsNullOrWhiteSpace(RemotePath))
        {
            errors.Add($"{path}:RemotePath is empty: set the remote folder (\".\" for the login folder).");
        }
        if (inbound && MinimumAge < TimeSpan.Zero)
        {
            errors.Add($"{path}:MinimumAge is negative: use a duration such as 00:00:05.");
        }
        if (inbound && StableInterval < TimeSpan.Zero)
        {
            errors.Add($"{path}:StableInterval is negative: use a duration such as 00:00:02.");
        }
        if (inbound)
        {
            PickupRules.Validate(path, IgnorePatterns, ReadyMarker, errors);
        }
        if (string.IsNullOrWhiteSpace(TempPrefix) || TempPrefix.Contains('/'))
        {
            errors.Add($"{path}:TempPrefix '{TempPrefix}' is empty or contains '/': use a prefix such as .hub-tmp-.");
        }
        if (string.IsNullOrWhiteSpace(InstanceId) || InstanceId.Contains('/'))
        {
            errors.Add($"{path}:InstanceId is empty or contains '/': use a short stable name for this hub instance.");
        }
        if (Parallelism is < 1 or > 64)
        {
            errors.Add($"{path}:Parallelism is {Parallelism}: use 1 to 64.");
        }
        if (ConnectAttempts < 1)
        {
            errors.Add($"{path}:ConnectAttempts is {ConnectAttempts}: use 1 or more.");
        }
        if (ConnectTimeout <= TimeSpan.Zero || RetryBackoff < TimeSpan.Zero)
        {
            errors.Add($"{path}:ConnectTimeout must be positive and RetryBackoff not negative: use durations such as 00:00:15 and 00:00:01.");
        }
    }
}
