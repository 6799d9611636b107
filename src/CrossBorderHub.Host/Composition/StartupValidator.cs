using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Routing;
using CrossBorderHub.Storage;
using Quartz;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// Checks the whole configuration before anything starts and returns every error at once, each naming the setting
/// and the fix (the hub refuses to start with a half-valid setup rather than fail on the first poll at 3 a.m.).
/// </summary>
internal static class StartupValidator
{
    // "none": the envelope is read for routing, nothing is checked (a partner whose software is trusted, or a migration).
    private static readonly string[] ValidationLevels = ["none", "syntax", "envelope", "directory", "codes"];
    private static readonly string[] SignModes = ["none", "document", "envelope"];

    /// <summary>
    /// Every error of a built hub. An unknown store provider is reported alone and first: the store's dialect is built
    /// when a service needing it is resolved (the mapping step writes events), and building it would throw.
    /// </summary>
    public static List<string> Validate(HubOptions options, IServiceProvider services)
    {
        var store = new List<string>();
        StorageFactory.Validate(options, store);
        return store.Count > 0
            ? store
            : Validate(options, services.GetRequiredService<ChannelRegistry>(), services.GetServices<IPayloadTransformer>(), services.GetServices<IStartupCheck>());
    }

    public static List<string> Validate(HubOptions options, ChannelRegistry channels, IEnumerable<IPayloadTransformer> transformers, IEnumerable<IStartupCheck> checks)
    {
        var errors = new List<string>();
        CheckDataRoot(options, errors);
        StorageFactory.Validate(options, errors);
        CheckPartners(options, errors);
        CheckRoutes(options, transformers.ToList(), errors);
        CheckTimings(options, errors);
        if (options.Scheduler.Clustered && !string.Equals(options.Store.Provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Hub:Scheduler:Clustered needs the shared PostgreSQL store, but Hub:Store:Provider is '{options.Store.Provider}': set it to Postgres, or Clustered to false.");
        }
        channels.Validate(errors);
        foreach (var check in checks.OrderBy(c => c.Order))
        {
            check.Check(options, errors);
        }
        return errors;
    }

    private static void CheckDataRoot(HubOptions options, List<string> errors)
    {
        try
        {
            var root = Path.GetFullPath(options.DataRoot);
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".hub-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"Hub:DataRoot '{options.DataRoot}' cannot be created or written ({ex.Message}): choose a folder the hub's user can write.");
        }
    }

    private static void CheckPartners(HubOptions options, List<string> errors)
    {
        if (options.Partners.Count == 0)
        {
            errors.Add("Hub:Partners is empty: configure at least one partner (see samples/config/hub.json).");
        }
        foreach (var (name, partner) in options.Partners)
        {
            var path = $"Hub:Partners:{name}";
            if (partner.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
            {
                errors.Add($"{path}:Country '{country}' is not an ISO 3166 alpha-2 code: use two capital letters such as TH.");
            }
            if (!ValidationLevels.Contains(partner.Validation, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Validation '{partner.Validation}' is unknown: use one of {string.Join(", ", ValidationLevels)}.");
            }
            if (partner.Inbound?["Schedule"] is { Length: > 0 } schedule && !IsSchedule(schedule))
            {
                errors.Add($"{path}:Inbound:Schedule '{schedule}' is neither an interval (e.g. 00:00:05) nor a Quartz cron expression (e.g. 0/10 * * * * ?): fix it.");
            }
            if (partner.Inbound is null && partner.Outbound is null)
            {
                errors.Add($"{path} has neither Inbound nor Outbound: give it a channel, or remove it.");
            }
        }
    }

    public static bool IsSchedule(string schedule) =>
        (TimeSpan.TryParse(schedule, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        || CronExpression.TryParse(schedule, out _);

    private static void CheckRoutes(HubOptions options, List<IPayloadTransformer> transformers, List<string> errors)
    {
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var path = $"Hub:Routes:{i}" + (route.Name is null ? "" : $" ({route.Name})");
            if (route.To.Count == 0)
            {
                errors.Add($"{path}:To is empty: list the partner(s) to deliver to.");
            }
            foreach (var partner in route.To)
            {
                if (!options.Partners.TryGetValue(partner, out var destination))
                {
                    errors.Add($"{path}:To names partner '{partner}', which is not under Hub:Partners: add the partner or correct the name ({string.Join(", ", options.Partners.Keys)}).");
                }
                else if (destination.Outbound is null)
                {
                    errors.Add($"{path}:To names partner '{partner}', which has no Outbound channel: add Hub:Partners:{partner}:Outbound.");
                }
            }
            if (!SignModes.Contains(route.Sign, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Sign '{route.Sign}' is unknown: use one of {string.Join(", ", SignModes)}.");
            }
            if (route.Country is { Length: > 0 } country && country != "*" && country.Length != 2)
            {
                errors.Add($"{path}:Country '{country}' is not an ISO 3166 alpha-2 code: use two letters such as TH.");
            }
            foreach (var step in new RouteMatch(path, i, route).Steps)
            {
                if (!transformers.Any(t => t.Handles(step)))
                {
                    errors.Add($"{path}: step '{step}' is not available in this build (no mapping or signer handles it): remove it or add the mapping file.");
                }
            }
        }
    }

    private static void CheckTimings(HubOptions options, List<string> errors)
    {
        if (options.Documents.DuplicateWindow <= TimeSpan.Zero)
        {
            errors.Add($"Hub:Documents:DuplicateWindow is {options.Documents.DuplicateWindow}: use a positive duration such as 365.00:00:00 (a year) or 30.00:00:00.");
        }
        DocumentRetentionCheck.Check(options.Documents, errors);
        if (options.Delivery.MaxAttempts < 1)
        {
            errors.Add($"Hub:Delivery:MaxAttempts is {options.Delivery.MaxAttempts}: use 1 or more.");
        }
        if (options.Delivery.InitialBackoff <= TimeSpan.Zero || options.Delivery.MaxBackoff < options.Delivery.InitialBackoff)
        {
            errors.Add("Hub:Delivery:InitialBackoff must be positive and Hub:Delivery:MaxBackoff at least as long: e.g. 00:00:05 and 00:30:00.");
        }
        if (options.Processing.PollInterval <= TimeSpan.Zero || options.Delivery.PollInterval <= TimeSpan.Zero || options.Processing.InboundInterval <= TimeSpan.Zero)
        {
            errors.Add("Hub:Processing:PollInterval, Hub:Processing:InboundInterval and Hub:Delivery:PollInterval must be positive durations such as 00:00:01.");
        }
        if (options.Processing.OrphanBlobAge < TimeSpan.FromMinutes(1) || options.Processing.OrphanBlobSweepInterval <= TimeSpan.Zero)
        {
            errors.Add($"Hub:Processing:OrphanBlobAge ({options.Processing.OrphanBlobAge}) must be at least 00:01:00 so an intake in progress is never removed, " +
                $"and Hub:Processing:OrphanBlobSweepInterval ({options.Processing.OrphanBlobSweepInterval}) positive: e.g. 01:00:00 and 00:15:00.");
        }
    }
}
