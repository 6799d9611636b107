using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// Configuration sources, later ones winning: the configuration file (`--config FILE`, else the HUB_CONFIG
/// environment variable, else ./hub.json, else the built-in sample setup hub.defaults.json), then environment variables
/// (Hub__Store__ConnectionString...), then `--Hub:Key=value` switches.
/// </summary>
internal static class HubConfigurationLoader
{
    public const string DefaultsFileName = "hub.defaults.json";

    public static (IConfigurationRoot Configuration, string Source, string[] Remaining) Load(string[] args)
    {
        var (file, rest) = TakeConfigSwitch(args);
        file ??= Environment.GetEnvironmentVariable("HUB_CONFIG");
        if (string.IsNullOrEmpty(file) && File.Exists("hub.json"))
        {
            file = "hub.json";
        }
        var source = string.IsNullOrEmpty(file) ? Path.Combine(AppContext.BaseDirectory, DefaultsFileName) : Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"configuration file '{source}' does not exist: check --config or HUB_CONFIG", source);
        }
        var switches = rest.Where(a => a.StartsWith("--Hub:", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase)).ToArray();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(source, optional: false, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(switches)
            .Build();
        // Not Except: a set operation would also drop a repeated argument (`users add admin --role admin`).
        return (configuration, source, rest.Where(a => !switches.Contains(a)).ToArray());
    }

    private static (string? File, string[] Remaining) TakeConfigSwitch(string[] args)
    {
        var rest = new List<string>();
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                file = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                file = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return (file, rest.ToArray());
    }
}
