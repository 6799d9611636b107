using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// Logging:Format selects the console formatter: simple (default, for people), json (one JSON object a line, for a log
/// shipper) or systemd (syslog priority prefixes, for journald). Under systemd `UseSystemd` already picks systemd when
/// the format is left at its default.
/// </summary>
internal static class LogFormat
{
    public const string Key = "Logging:Format";

    private static readonly string[] Allowed = ["simple", "json", "systemd"];

    /// <summary>The formatter named by the configuration; an unknown value leaves the default (the check refuses it).</summary>
    public static void Apply(ILoggingBuilder logging, IConfiguration configuration)
    {
        switch (configuration[Key]?.Trim().ToLowerInvariant())
        {
            case "json":
                logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
                break;
            case "systemd":
                logging.AddSystemdConsole();
                break;
            default:
                break;
        }
    }

    /// <summary>One line naming the unknown value and the allowed ones, else null.</summary>
    public static string? Problem(IConfiguration configuration) =>
        configuration[Key] is { } value && !string.IsNullOrWhiteSpace(value) && !Allowed.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)
            ? $"{Key} is '{value}', which is not a log format: set it to one of {string.Join(", ", Allowed)}."
            : null;
}

/// <summary>The start-up check listing a bad Logging:Format with the other configuration errors.</summary>
internal sealed class LogFormatCheck(IConfiguration configuration) : IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        if (LogFormat.Problem(configuration) is { } problem)
        {
            errors.Add(problem);
        }
    }
}
