using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// A start-up check contributed by a feature (certificates, schema packs, mappings...). The host runs all of them
/// and refuses to start with every error listed; each error names the setting and the fix.
/// </summary>
public interface IStartupCheck
{
    void Check(HubOptions options, ICollection<string> errors);

    /// <summary>Lower runs first: a check that changes what others read (installing dropped directories) goes before them.</summary>
    int Order => 0;
}
