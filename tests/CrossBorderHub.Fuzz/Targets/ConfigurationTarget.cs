using System.Text.Json.Nodes;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrossBorderHub.Fuzz.Targets;

/// <summary>
/// The configuration loader as `hub run` uses it: the file through HubConfigurationLoader, the options binding,
/// then every start-up check (StartupValidator, channel factories, the unknown-key check) that lists the errors.
/// </summary>
public sealed class ConfigurationTarget : IFuzzTarget
{
    // One sandbox per process: validation creates and probes folders (DataRoot, folder channels), which must stay here.
    private static readonly string Sandbox = Directory.CreateTempSubdirectory("hub-fuzz-config-").FullName;

    private static readonly string ConfigFile = Path.Combine(Sandbox, "hub.json");

    public string Name => "config";

    // What CliDispatcher and RunVerb turn into one line and exit 2 (not valid JSON; a value the binder cannot convert).
    public string ExpectedExceptions => "InvalidDataException (not JSON), InvalidOperationException from the options binding (wrong type)";

    public void Run(byte[] input)
    {
        File.WriteAllBytes(ConfigFile, input);
        var (loaded, _, _) = HubConfigurationLoader.Load(["--config", ConfigFile]);
        var configuration = Sandboxed(loaded);
        var options = HubServices.BindOptions(configuration);
        AdminExposure.Refusal(options.Admin);

        var services = new ServiceCollection().AddLogging().AddHub(configuration).BuildServiceProvider();
        try
        {
            StartupValidator.Validate(options, services);
        }
        finally
        {
            services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Every path-like setting re-rooted inside the sandbox, so a fuzzed "/etc/x" creates nothing outside it. Only
    /// the value changes, not the key, so the unknown-key check and the binder see the input's structure.
    /// </summary>
    private static IConfigurationRoot Sandboxed(IConfiguration loaded)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Hub:DataRoot"] = Path.Combine(Sandbox, "data") };
        foreach (var (key, value) in loaded.AsEnumerable())
        {
            var last = key[(key.LastIndexOf(':') + 1)..];
            if (value is not null && (last.Contains("Path", StringComparison.OrdinalIgnoreCase) || last.Contains("Root", StringComparison.OrdinalIgnoreCase)
                || last.Contains("Folder", StringComparison.OrdinalIgnoreCase) || last.Contains("Archive", StringComparison.OrdinalIgnoreCase)))
            {
                var relative = string.Join('_', value.Split('/', '\\').Where(s => s is not ("" or "." or "..")));
                overrides[key] = Path.Combine(Sandbox, "data", relative.Length == 0 ? "empty" : relative);
            }
        }
        return new ConfigurationBuilder().AddConfiguration(loaded).AddInMemoryCollection(overrides).Build();
    }

    public bool IsExpected(Exception exception) => exception is InvalidDataException
        || (exception is InvalidOperationException && exception.StackTrace?.Contains(nameof(HubServices.BindOptions), StringComparison.Ordinal) == true);

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var sample = File.ReadAllBytes(Path.Combine(FuzzRepo.Samples, "config", "hub.json"));
        yield return ("sample-hub.json", sample);
        // Variants of the sample that reach the other checks: a typo'd key, a wrong type, each transport's section.
        var hub = JsonNode.Parse(sample)!["Hub"]!;
        var variants = new (string Name, Action<JsonNode> Change)[]
        {
            ("typo-key.json", h => h["Routes"]![0]!["Sgn"] = "document"),
            ("wrong-type.json", h => h["Delivery"]!["MaxAttempts"] = "many"),
            ("sftp.json", h => h["Partners"]!["CN"]!["Outbound"] = JsonNode.Parse("""{ "Type": "sftp", "Host": "127.0.0.1", "Port": 22, "User": "hub", "Path": "in" }""")),
            ("ftp.json", h => h["Partners"]!["CN"]!["Outbound"] = JsonNode.Parse("""{ "Type": "ftp", "Host": "127.0.0.1", "Port": 21, "Tls": true }""")),
            ("rabbitmq.json", h => h["Partners"]!["TH"]!["Inbound"] = JsonNode.Parse("""{ "Type": "rabbitmq", "Uri": "amqp://127.0.0.1", "Queue": "q" }""")),
            ("as2.json", h => h["Partners"]!["TH"]!["Outbound"] = JsonNode.Parse("""{ "Type": "as2", "Url": "http://127.0.0.1:1/as2", "As2Id": "TH" }""")),
            ("postgres.json", h => h["Store"] = JsonNode.Parse("""{ "Provider": "Postgres" }""")),
        };
        foreach (var (name, change) in variants)
        {
            var copy = JsonNode.Parse(hub.Root.ToJsonString())!;
            change(copy["Hub"]!);
            yield return (name, System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString()));
        }
    }
}
