namespace CrossBorderHub.Core.Configuration;

/// <summary>
/// One saved version of the partners and routes: the JSON object {"Partners": {...}, "Routes": [...]} as it is under
/// "Hub" in hub.json. <see cref="FileHash"/> is set on a version seeded from the configuration file (the SHA-256 of
/// what it held), so a start-up can tell whether the file changed since it was last taken into the store.
/// </summary>
public sealed record ConfigurationVersion(long Version, DateTimeOffset SavedAt, string User, string Comment, string Json, string? FileHash);

/// <summary>
/// The versions of the partners and routes, in the message store so that every instance sharing it runs the same
/// configuration. Versions are never changed or deleted: a roll back saves a new version equal to an old one.
/// </summary>
public interface IConfigurationVersions
{
    /// <summary>The newest version number, 0 for none: the cheap check each instance makes on every poll.</summary>
    Task<long> LatestVersionAsync(CancellationToken cancellationToken);

    /// <summary>The given version, or the newest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<ConfigurationVersion?> GetAsync(long? version, CancellationToken cancellationToken);

    /// <summary>Newest first, without their JSON (<see cref="ConfigurationVersion.Json"/> is empty).</summary>
    Task<IReadOnlyList<ConfigurationVersion>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A version seeded from a configuration file with this hash exists.</summary>
    Task<bool> HasFileHashAsync(string fileHash, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the next version (newest + 1) unless <paramref name="expectedLatest"/> is given and the newest is another
    /// one (someone saved in between): then nothing is saved and null is returned. Returns the new version number.
    /// </summary>
    Task<long?> AddAsync(long? expectedLatest, DateTimeOffset at, string user, string comment, string json, string? fileHash, CancellationToken cancellationToken);
}
