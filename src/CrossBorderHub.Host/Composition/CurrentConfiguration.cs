using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using System.Text.Json.Nodes;
using CrossBorderHub.Core.Security;

namespace CrossBorderHub.Host.Composition;

/// <summary>What a save did: the new version, or why nothing was saved (every validation error, or a conflict).</summary>
internal sealed record ConfigurationSave(long? Version, IReadOnlyList<string> Errors, bool Conflict = false, IReadOnlyList<string>? Diff = null);

/// <summary>
/// The partners and routes this instance runs with: a version from the message store. On start an empty store is
/// seeded from the configuration file (and a file changed since it last seeded is taken in as a new version); after
/// that the store is the source, so instances sharing it run the same version. Each poll asks the store for the
/// newest version number (<see cref="RefreshAsync"/>); a new one is checked by the same validator as start-up and
/// applied by replacing <see cref="HubOptions.Partners"/> and <see cref="HubOptions.Routes"/> of the one HubOptions
/// every service holds. Routing, the pipeline and delivery look partners and routes up there per message, so they
/// see the new version at once; the channel caches listen to <see cref="PartnersChanged"/>.
/// </summary>
internal sealed class CurrentConfiguration(IConfiguration configuration, HubOptions live, IServiceProvider services, IConfigurationVersions versions,
    IAuditLog audit, TimeProvider time, ILogger<CurrentConfiguration> logger)
{
    private readonly Lock _applying = new();
    private long _refused;

    public long Version { get; private set; }

    /// <summary>The document of <see cref="Version"/>, secrets unmasked: never show it as it is (ConfigurationDocument.Masked).</summary>
    public JsonObject Document { get; private set; } = ConfigurationDocument.FromFileOrEmpty(configuration);

    /// <summary>Raised after a new version is applied with the partners whose settings changed (their channels are stale).</summary>
    public event Func<IReadOnlySet<string>, Task>? PartnersChanged;

    /// <summary>Every error of the configuration the hub would run with this document, as start-up lists them.</summary>
    public List<string> Validate(JsonObject document) => Validate(document, out _);

    private List<string> Validate(JsonObject document, out HubOptions candidate)
    {
        var overlay = ConfigurationDocument.Overlay(configuration, document);
        try
        {
            candidate = HubServices.BindOptions(overlay);
        }
        catch (InvalidOperationException ex)
        {
            candidate = live;
            return [$"the configuration cannot be read: {ex.Message} {ex.InnerException?.Message}"];
        }
        // A registry of its own over the candidate: the live one must not see partners that are not saved yet.
        var channels = new ChannelRegistry(services.GetServices<IChannelFactory>(), candidate, services.GetRequiredService<ChannelContext>());
        // The key check reads raw keys: over the candidate's configuration, not the file's.
        var checks = services.GetServices<IStartupCheck>().Where(c => c is not ConfigurationKeyCheck).Append(new ConfigurationKeyCheck(overlay));
        return StartupValidator.Validate(candidate, channels, services.GetServices<IPayloadTransformer>(), checks);
    }

    /// <summary>
    /// Start-up, after the schema migration: seeds an empty store from the file (or takes in a changed file), then
    /// applies the newest version. Returns its errors when that version is not valid for this build (nothing applied).
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAsync(CancellationToken cancellationToken)
    {
        if (ConfigurationDocument.FilePath(configuration) is { } file && File.Exists(file))
        {
            var fromFile = ConfigurationDocument.FromFile(file);
            var hash = ConfigurationDocument.Hash(fromFile);
            var empty = await versions.LatestVersionAsync(cancellationToken) == 0;
            if (empty || !await versions.HasFileHashAsync(hash, cancellationToken))
            {
                var comment = empty ? $"seeded from {file}" : $"{file} changed since it was last taken into the store";
                var version = await versions.AddAsync(null, time.GetUtcNow(), "hub", comment, ConfigurationDocument.Text(fromFile), hash, cancellationToken);
                logger.LogInformation("Configuration version {Version}: {Comment}", version, comment);
            }
        }
        var latest = await versions.GetAsync(null, cancellationToken);
        if (latest is null)
        {
            return [];
        }
        var errors = await ApplyAsync(latest, cancellationToken);
        return errors;
    }

    /// <summary>The cheap check of every poll: applies a newer version if there is one; true when it did.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var newest = await versions.LatestVersionAsync(cancellationToken);
        if (newest == Version || newest == Interlocked.Read(ref _refused))
        {
            return false;
        }
        var version = await versions.GetAsync(newest, cancellationToken);
        if (version is null)
        {
            return false;
        }
        var errors = await ApplyAsync(version, cancellationToken);
        if (errors.Count > 0)
        {
            // Saved by an instance of another build (another mapping folder, another transport): keep the running
            // version, say so once, and check again only when a newer version arrives.
            Interlocked.Exchange(ref _refused, newest);
            logger.LogError("Configuration version {Version} is not valid on this instance and is not applied ({Count} error(s)): {Errors}; running version {Running}",
                newest, errors.Count, string.Join(" | ", errors), Version);
            return false;
        }
        return true;
    }

    /// <summary>Validates, saves as the next version, audits with the diff and applies it here at once.</summary>
    public async Task<ConfigurationSave> SaveAsync(JsonObject document, string user, string? remoteAddress, string comment, long? expectedVersion, CancellationToken cancellationToken)
    {
        ConfigurationDocument.Unmask(document, Document);
        var errors = Validate(document);
        if (errors.Count > 0)
        {
            return new ConfigurationSave(null, errors);
        }
        var before = Document;
        var version = await versions.AddAsync(expectedVersion, time.GetUtcNow(), user, comment, ConfigurationDocument.Text(document), null, cancellationToken);
        if (version is null)
        {
            return new ConfigurationSave(null, [$"the configuration was changed by someone else since version {expectedVersion}: reload, redo the change and save again."], Conflict: true);
        }
        var diff = ConfigurationDocument.Diff(before, document);
        await audit.AddAsync(time.GetUtcNow(), user, remoteAddress, "config-change",
            $"configuration version {version}{(comment.Length == 0 ? "" : $" ({comment})")}:\n{string.Join('\n', diff)}", cancellationToken);
        await RefreshAsync(cancellationToken);
        return new ConfigurationSave(version, [], Diff: diff);
    }

    private async Task<IReadOnlyList<string>> ApplyAsync(ConfigurationVersion version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (document, error) = ConfigurationDocument.Parse(version.Json);
        if (document is null)
        {
            return [$"configuration version {version.Version} in the store cannot be read: {error}"];
        }
        IReadOnlySet<string> changed;
        // One apply at a time (a save here and the poll may race): the version and the document must agree.
        lock (_applying)
        {
            if (version.Version == Version)
            {
                return []; // the poll and a save on this instance raced: applied already
            }
            var errors = Validate(document, out var candidate);
            if (errors.Count > 0)
            {
                return errors;
            }
            changed = ConfigurationDocument.ChangedPartners(Document, document);
            // Two reference assignments: a reader sees the old or the new dictionary and list, never a half-built one.
            live.Partners = candidate.Partners;
            live.Routes = candidate.Routes;
            Document = document;
            Version = version.Version;
        }
        logger.LogInformation("Configuration version {Version} applied ({Partners} partners, {Routes} routes; saved by {User} at {At:u})",
            version.Version, live.Partners.Count, live.Routes.Count, version.User, version.SavedAt);
        if (changed.Count > 0 && PartnersChanged is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<IReadOnlySet<string>, Task>>())
            {
                await handler(changed);
            }
        }
        return [];
    }
}
