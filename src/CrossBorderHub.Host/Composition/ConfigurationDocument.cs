using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.Extensions.Configuration.Json;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// The partners and routes as one JSON object, {"Partners": {...}, "Routes": [...]}, shaped as under "Hub" in
/// hub.json: what the store keeps per version, `hub config export` writes and the admin API takes. Also how such an
/// object becomes a configuration again (the file's other settings, then the object, then environment variables and
/// switches, so a Hub__Partners__X__Outbound__Password still wins), how secrets are masked and how two versions differ.
/// </summary>
internal static class ConfigurationDocument
{
    public const string Mask = "********";

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly string[] SecretWords = ["password", "passphrase", "secret", "token"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The partners and routes of a configuration file (empty ones when it has none).</summary>
    public static JsonObject FromFile(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path), NodeOptions, DocumentOptions) as JsonObject;
        var hub = root?["Hub"] as JsonObject;
        return New(hub?["Partners"]?.DeepClone() as JsonObject, hub?["Routes"]?.DeepClone() as JsonArray);
    }

    /// <summary>The partners and routes of the file behind a configuration, empty ones without a file.</summary>
    public static JsonObject FromFileOrEmpty(IConfiguration configuration) =>
        FilePath(configuration) is { } file && File.Exists(file) ? FromFile(file) : New(null, null);

    /// <summary>The configuration file behind a configuration built by HubConfigurationLoader, if any.</summary>
    public static string? FilePath(IConfiguration configuration) =>
        (configuration as IConfigurationRoot)?.Providers.OfType<JsonConfigurationProvider>()
            .Select(p => p.Source.FileProvider?.GetFileInfo(p.Source.Path ?? "").PhysicalPath).FirstOrDefault(p => p is not null);

    /// <summary>Reads a document (a file to import, an API body); the error is one line naming the problem and the fix.</summary>
    public static (JsonObject? Document, string? Error) Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, $"not valid JSON ({ex.Message}): fix the syntax at that position.");
        }
        if (node is not JsonObject obj)
        {
            return (null, "the configuration must be a JSON object {\"Partners\": {...}, \"Routes\": [...]}: wrap it so.");
        }
        // A whole hub.json is accepted too: its Hub section holds them.
        if (obj["Hub"] is JsonObject hub)
        {
            obj = hub;
        }
        var unknown = obj.Select(p => p.Key).Where(k => !k.Equals("Partners", StringComparison.OrdinalIgnoreCase) && !k.Equals("Routes", StringComparison.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 && !obj.ContainsKey("Partners"))
        {
            return (null, $"the configuration has {string.Join(", ", unknown)} but no Partners: give {{\"Partners\": {{...}}, \"Routes\": [...]}} (other settings stay in hub.json).");
        }
        if (obj["Partners"] is not JsonObject partners)
        {
            return (null, "Partners must be an object of partners by their short name: {\"Partners\": {\"TH\": {...}}}.");
        }
        if (obj["Routes"] is { } routes && routes is not JsonArray)
        {
            return (null, "Routes must be an array of routes: {\"Routes\": [{\"To\": [\"TH\"]}]}.");
        }
        return (New(partners.DeepClone().AsObject(), obj["Routes"]?.DeepClone() as JsonArray), null);
    }

    private static JsonObject New(JsonObject? partners, JsonArray? routes) =>
        new(NodeOptions) { ["Partners"] = partners ?? new JsonObject(NodeOptions), ["Routes"] = routes ?? [] };

    public static string Text(JsonObject document) => document.ToJsonString(Indented);

    /// <summary>SHA-256 of the document's text: equal documents from the same file give the same hash.</summary>
    public static string Hash(JsonObject document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));

    /// <summary>
    /// The configuration the hub would run with this document: every key of <paramref name="configuration"/> but the
    /// partners and routes, then the document's, then the partners' and routes' keys set by environment variables or
    /// switches (the providers after the file), which override the file today and so override the store too.
    /// </summary>
    public static IConfigurationRoot Overlay(IConfiguration configuration, JsonObject document)
    {
        var rest = configuration.AsEnumerable().Where(kv => kv.Value is not null && !IsPartnersOrRoutes(kv.Key));
        var overrides = (configuration as IConfigurationRoot)?.Providers.Where(p => p is not JsonConfigurationProvider)
            .SelectMany(p => new ConfigurationRoot([p]).AsEnumerable()).Where(kv => kv.Value is not null && IsPartnersOrRoutes(kv.Key)).ToList() ?? [];
        var hub = new JsonObject { ["Hub"] = document.DeepClone() };
        return new ConfigurationBuilder()
            .AddInMemoryCollection(rest)
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(hub.ToJsonString())))
            .AddInMemoryCollection(overrides)
            .Build();
    }

    private static bool IsPartnersOrRoutes(string key) =>
        key.StartsWith("Hub:Partners", StringComparison.OrdinalIgnoreCase) && (key.Length == 12 || key[12] == ':')
        || key.StartsWith("Hub:Routes", StringComparison.OrdinalIgnoreCase) && (key.Length == 10 || key[10] == ':');

    /// <summary>Passwords, passphrases, secrets and tokens; not PasswordEnv (the name of a variable, not its value).</summary>
    public static bool IsSecret(string key) =>
        !key.EndsWith("Env", StringComparison.OrdinalIgnoreCase)
        && SecretWords.Any(s => key.Contains(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy with every secret value replaced by <see cref="Mask"/>: what pages, the API, logs and the audit show.</summary>
    public static JsonObject Masked(JsonObject document)
    {
        var copy = document.DeepClone().AsObject();
        MaskIn(copy);
        return copy;
    }

    private static void MaskIn(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj.ToList())
            {
                if (value is JsonValue && IsSecret(key))
                {
                    obj[key] = Mask;
                }
                else
                {
                    MaskIn(value);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                MaskIn(item);
            }
        }
    }

    /// <summary>
    /// Puts back the secrets a client left masked: an edit of a masked page or export sends "********" for a password
    /// it never saw, which means "unchanged". Walks both documents by the same keys.
    /// </summary>
    public static void Unmask(JsonNode? edited, JsonNode? current)
    {
        if (edited is JsonObject obj && current is JsonObject before)
        {
            foreach (var (key, value) in obj.ToList())
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s) && s == Mask && IsSecret(key))
                {
                    obj[key] = before[key]?.DeepClone();
                }
                else
                {
                    Unmask(value, before[key]);
                }
            }
        }
        else if (edited is JsonArray array && current is JsonArray old)
        {
            for (var i = 0; i < array.Count && i < old.Count; i++)
            {
                Unmask(array[i], old[i]);
            }
        }
    }

    /// <summary>The changed lines between two versions' masked JSON, "- old" and "+ new"; empty when they are equal.</summary>
    public static IReadOnlyList<string> Diff(JsonObject? before, JsonObject after)
    {
        var model = InlineDiffBuilder.Diff(before is null ? "" : Text(Masked(before)), Text(Masked(after)), ignoreWhiteSpace: false);
        return model.Lines.Where(l => l.Type is ChangeType.Inserted or ChangeType.Deleted)
            .Select(l => (l.Type == ChangeType.Inserted ? "+ " : "- ") + l.Text.Trim()).ToList();
    }

    /// <summary>The partners whose settings differ between two documents (added, removed or changed).</summary>
    public static IReadOnlySet<string> ChangedPartners(JsonObject? before, JsonObject after)
    {
        var old = before?["Partners"] as JsonObject ?? [];
        var now = after["Partners"] as JsonObject ?? [];
        var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in old.Select(p => p.Key).Union(now.Select(p => p.Key), StringComparer.OrdinalIgnoreCase))
        {
            if (!JsonNode.DeepEquals(old[name], now[name]))
            {
                changed.Add(name);
            }
        }
        return changed;
    }
}
