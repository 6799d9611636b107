using System.Globalization;
using System.Text.Json;

namespace CrossBorderHub.Host.Tests;

/// <summary>
/// The real `hub` executable in a temp folder with its own configuration: started, stopped (SIGTERM) or killed
/// (SIGKILL) like an admin or a power cut would, and queried through its CLI and admin web.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly List<string> _log = [];

    public HubProcess(JsonObject? overrides = null)
    {
        Folder = Directory.CreateTempSubdirectory("hub-e2e-").FullName;
        AdminPort = FreePort.Next();
        var configuration = DefaultConfiguration(Folder, AdminPort);
        if (overrides is not null)
        {
            Merge(configuration, overrides);
        }
        ConfigPath = Path.Combine(Folder, "hub.json");
        File.WriteAllText(ConfigPath, configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string Folder { get; }

    public string ConfigPath { get; }

    public int AdminPort { get; }

    public string Data => Path.Combine(Folder, "data");

    public string Drop(string partner) => Directory.CreateDirectory(Path.Combine(Data, "drop", partner)).FullName;

    public string Deliver(string partner) => Path.Combine(Data, "deliver", partner);

    /// <summary>The operating system's id of the last started process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("Launch first");

    /// <summary>The exit code when the last started process has ended (killed or by itself), else null.</summary>
    public int? ExitCode => _process is { HasExited: true } ended ? ended.ExitCode : null;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>hub.dll of the same build configuration as this test assembly.</summary>
    public static string HubDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryRoot, "src", "CrossBorderHub.Host", "bin", configuration, "net10.0", "hub.dll");
            Assert.That(File.Exists(path), Is.True, $"build the host first: {path} is missing");
            return path;
        }
    }

    public static JsonObject DefaultConfiguration(string folder, int adminPort) => new()
    {
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning", ["Quartz"] = "Warning" } },
        ["Hub"] = new JsonObject
        {
            ["DataRoot"] = Path.Combine(folder, "data"),
            ["InstanceName"] = "e2e",
            ["Admin"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{adminPort}" },
            ["Processing"] = new JsonObject
            {
                ["SchemasPath"] = Path.Combine(RepositoryRoot, "schemas"),
                ["MappingsPath"] = Path.Combine(RepositoryRoot, "mappings"),
                ["PollInterval"] = "00:00:00.200",
            },
            ["Delivery"] = new JsonObject { ["PollInterval"] = "00:00:00.200", ["InitialBackoff"] = "00:00:01", ["MaxAttempts"] = 3 },
            ["Partners"] = new JsonObject
            {
                ["CN"] = Partner("CN", "CNSW"),
                ["TH"] = Partner("TH", "THSW"),
            },
            ["Routes"] = new JsonArray
            {
                new JsonObject { ["Name"] = "EDIFACT to Thailand", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH") },
                new JsonObject { ["Name"] = "EDIFACT to China", ["Recipient"] = "CNSW", ["To"] = new JsonArray("CN") },
                new JsonObject { ["Name"] = "XML to Thailand", ["Country"] = "TH", ["To"] = new JsonArray("TH") },
            },
        },
    };

    private static JsonObject Partner(string country, string identifier) => new()
    {
        ["Country"] = country,
        ["Identifiers"] = new JsonArray(identifier),
        ["Validation"] = "codes",
        ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = $"drop/{country}", ["Schedule"] = "00:00:00.500", ["MinimumAge"] = "00:00:02" },
        ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = $"deliver/{country}" },
    };

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    public async Task StartAsync()
    {
        Launch();
        await WaitUntilHealthyAsync();
    }

    /// <summary>Starts the process without waiting for it to answer, so a kill can land in the middle of start-up.</summary>
    public void Launch()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder, UseShellExecute = false };
        foreach (var argument in new[] { HubDll, "run", "--config", ConfigPath })
        {
            info.ArgumentList.Add(argument);
        }
        _process?.Dispose();
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Launch first");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail($"hub exited with {process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{AdminPort}/health"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Assert.Fail($"hub did not answer /health within 60 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as systemd stops a unit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Runs a CLI verb against this hub's configuration.</summary>
    public Task<ProcessRunner.Result> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [HubDll, .. arguments, "--config", ConfigPath], TimeSpan.FromSeconds(90), Folder);

    /// <summary>
    /// An HTTP client for the admin API as a user of <paramref name="role"/>: a token-only user created through
    /// `hub users add e2e-ROLE --role ROLE --token` (once per role), sent as a bearer token.
    /// </summary>
    public async Task<HttpClient> ClientAsync(string role = "admin")
    {
        if (!_tokens.TryGetValue(role, out var token))
        {
            var result = await CliAsync("users", "add", $"e2e-{role}", "--role", role, "--token");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            token = result.Output.Split(' ', '\n').Single(w => w.StartsWith("hub_", StringComparison.Ordinal)).Trim();
            _tokens[role] = token;
        }
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}"), Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private readonly Dictionary<string, string> _tokens = [];

    /// <summary>`hub users add NAME --role ROLE` with the password in HUB_USER_PASSWORD.</summary>
    public async Task AddUserAsync(string name, string role, string password)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [HubDll, "users", "add", name, "--role", role, "--config", ConfigPath], TimeSpan.FromSeconds(90), Folder,
            new Dictionary<string, string> { ["HUB_USER_PASSWORD"] = password });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
    }

    /// <summary>`hub messages --json`, parsed.</summary>
    public async Task<JsonArray> MessagesAsync()
    {
        var result = await CliAsync("messages", "--json", "--limit", "10000");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        return JsonNode.Parse(result.Output)!.AsArray();
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the time is up.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return await condition();
    }

    /// <summary>Delivered files in a partner's folder, without the channel's hidden temporary files.</summary>
    public string[] DeliveredFiles(string partner) =>
        Directory.Exists(Deliver(partner)) ? Directory.GetFiles(Deliver(partner)).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray() : [];

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CrossBorderHub.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("CrossBorderHub.sln not found above " + AppContext.BaseDirectory);
    }
}
