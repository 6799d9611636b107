using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Mapping;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Start-up check: every mapping under Hub:Processing:MappingsPath loads (each error at file:line:column with the fix,
/// a broken mapping never starts), and every route's Mapping names one of them.
/// </summary>
public sealed class MappingCheck(MappingRegistry mappings) : IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        // Loaded again now: the registry first loaded when the pipeline was built, before dropped directory archives
        // were installed (DroppedDirectoryArchives runs first), and a declarative mapping checks its paths against them.
        mappings.Reload();
        foreach (var error in mappings.Errors)
        {
            errors.Add($"Hub:Processing:MappingsPath: {error}");
        }
        var names = mappings.Entries.Select(e => e.Name).ToList();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            if (string.IsNullOrWhiteSpace(route.Mapping))
            {
                continue;
            }
            var path = $"Hub:Routes:{i}{(route.Name is null ? "" : $" ({route.Name})")}";
            // SplitMessages with a Mapping maps each split message on its own (SplitDelivery transforms every part before
            // queuing any, so a part the mapping refuses rejects the whole interchange with nothing delivered).
            if (names.Contains(route.Mapping, StringComparer.Ordinal))
            {
                if (MappedSigningCheck.Problem(options, route, mappings.Find(route.Mapping)?.Mapping?.Descriptor, path) is { } signing)
                {
                    errors.Add(signing);
                }
                continue;
            }
            var known = names.Count == 0 ? "there are none" : "known: " + string.Join(", ", names);
            errors.Add($"{path}:Mapping '{route.Mapping}' is not a mapping under {mappings.Root} ({known}): " +
                $"correct the name, or add {Path.Combine(mappings.Root, route.Mapping, "mapping.json")}.");
        }
    }
}
