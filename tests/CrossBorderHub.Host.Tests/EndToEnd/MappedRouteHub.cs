namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A real hub whose mappings folder is a copy of the shipped one (so a test may edit it while the hub runs) plus the
/// test's own XSLT mappings, and helpers to drop SPS certificates and read a message's events and mapped payload.
/// </summary>
internal static class MappedRouteHub
{
    public const string SpsNamespaces =
        "xmlns:rsm=\"urn:un:unece:uncefact:data:standard:SPSCertificate:17\" xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21\"";

    public static string SampleCertificate => File.ReadAllText(Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "xml", "ephyto-valid.xml"));

    /// <summary>The sample with its own certificate number (the duplicate check would stop a second copy).</summary>
    public static string Certificate(string number) => SampleCertificate.Replace("CN-PC-2026-778812", number, StringComparison.Ordinal);

    public static HubProcess Create(JsonArray routes, out string mappings, JsonObject? partners = null)
    {
        var folder = Directory.CreateTempSubdirectory("hub-mappings-").FullName;
        mappings = folder;
        CopyFolder(Path.Combine(HubProcess.RepositoryRoot, "mappings"), folder);
        var hub = new JsonObject
        {
            ["Processing"] = new JsonObject { ["MappingsPath"] = folder },
            ["Routes"] = routes,
        };
        if (partners is not null)
        {
            hub["Partners"] = partners;
        }
        return new HubProcess(new JsonObject { ["Hub"] = hub });
    }

    /// <param name="sign">"document" or "envelope": a mapping into a pack with no place for ds:Signature needs "envelope".</param>
    public static JsonObject Route(string name, string from, string mapping, string to, string sign = "document") => new()
    {
        ["Name"] = name,
        ["SourcePartner"] = from,
        ["DocumentType"] = "PhytosanitaryCertificate",
        ["Mapping"] = mapping,
        ["Sign"] = sign,
        ["To"] = new JsonArray(to),
    };

    /// <summary>Writes mappings/NAME with an XSLT stylesheet whose body (the templates) is <paramref name="templates"/>.</summary>
    public static void AddXslt(string mappings, string name, string target, string templates, string version = "1.0")
    {
        var folder = Directory.CreateDirectory(Path.Combine(mappings, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "mapping.json"),
            $$"""{ "version": "{{version}}", "kind": "xslt", "source": { "format": "xml", "standard": "ephyto-sps" }, "target": { "format": "xml", "standard": {{target}} }, "file": "rules.xsl" }""");
        File.WriteAllText(Path.Combine(folder, "rules.xsl"),
            $"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {SpsNamespaces}><xsl:output method="xml" encoding="UTF-8"/>{templates}</xsl:stylesheet>""");
    }

    /// <summary>The identity transform, for stylesheets that change one thing.</summary>
    public const string Identity = """<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>""";

    /// <summary>The message (with its events, from the admin API) whose file name is <paramref name="file"/>, once in <paramref name="status"/>.</summary>
    public static async Task<(JsonObject Message, JsonArray Events)> MessageAsync(HubProcess hub, string file, string status)
    {
        using var http = await hub.ClientAsync();
        JsonNode? found = null;
        var reached = await HubProcess.EventuallyAsync(async () =>
        {
            var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/api/messages?limit=1000")))!.AsArray();
            found = list.FirstOrDefault(m => m!["remoteName"]?.GetValue<string>() == file && m!["status"]?.GetValue<string>() == status);
            return found is not null;
        }, TimeSpan.FromSeconds(30));
        Assert.That(reached, Is.True, $"{file} did not reach {status}:\n{hub.Log}");
        var id = found!["id"]!.GetValue<string>();
        var entry = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/api/messages/{id}")))!;
        return (entry["message"]!.AsObject(), entry["events"]!.AsArray());
    }

    public static async Task<HttpResponseMessage> GetAsync(HubProcess hub, string path)
    {
        using var http = await hub.ClientAsync();
        return await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}{path}"));
    }

    public static IEnumerable<string> Details(JsonArray events, string kind) =>
        events.Where(e => e!["kind"]!.GetValue<string>() == kind).Select(e => e!["detail"]!.GetValue<string>());

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
