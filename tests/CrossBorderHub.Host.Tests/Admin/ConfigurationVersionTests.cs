using System.Text;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Issue 15, editing applied without a restart: the partners and routes live in the message store as versions, a new
/// version applies on the next poll of the running hub, is refused with every error when invalid, is audited with its
/// diff and can be rolled back; `hub config export/import/versions` move it as JSON. The real hub, a real SQLite store.
/// </summary>
[TestFixture]
public sealed class ConfigurationVersionTests
{
    /// <summary>The default setup plus partner SG (a folder outbound) and, first, a route sending what goes to THSW to SG.</summary>
    private static JsonObject WithSingapore(JsonObject configuration)
    {
        var document = configuration.DeepClone().AsObject();
        document["Partners"]!["SG"] = new JsonObject
        {
            ["Country"] = "SG",
            ["Identifiers"] = new JsonArray("SGSW"),
            ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "deliver/SG" },
        };
        document["Routes"]!.AsArray().Insert(0, new JsonObject { ["Name"] = "Thailand via Singapore", ["Recipient"] = "THSW", ["To"] = new JsonArray("SG") });
        return document;
    }

    private static async Task<JsonObject> ConfigurationAsync(HttpClient admin)
    {
        var answer = JsonNode.Parse(await admin.GetStringAsync("/api/config"))!;
        return answer["configuration"]!.AsObject();
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task DropAndWaitAsync(HubProcess hub, string reference, string partner)
    {
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), reference + ".edi"), TestDocuments.Cusdec(reference));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles(partner).Any(f => f.EndsWith(reference + ".edi", StringComparison.Ordinal))), TimeSpan.FromSeconds(30)),
            Is.True, $"{reference} delivered to {partner}\n{hub.Log}");
    }

    [Test]
    public async Task A_route_saved_through_the_api_applies_without_a_restart_is_audited_with_its_diff_and_a_rollback_restores_the_old_route()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var admin = await hub.ClientAsync("admin");
        await DropAndWaitAsync(hub, "REFBEFORE", "TH");

        var before = JsonNode.Parse(await admin.GetStringAsync("/api/config"))!;
        Assert.That(before["version"]!.GetValue<long>(), Is.EqualTo(1), "version 1 is seeded from hub.json");
        var put = await admin.PutAsync("/api/config?comment=via%20Singapore&expectedVersion=1", Json(WithSingapore(before["configuration"]!.AsObject())));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(JsonNode.Parse(await put.Content.ReadAsStringAsync())!["version"]!.GetValue<long>(), Is.EqualTo(2));

        await DropAndWaitAsync(hub, "REFAFTER", "SG");
        Assert.That(hub.DeliveredFiles("TH").Any(f => f.Contains("REFAFTER", StringComparison.Ordinal)), Is.False, "the new first route wins");

        var audit = JsonNode.Parse(await admin.GetStringAsync("/api/audit"))!["events"]!.AsArray();
        var change = audit.First(e => e!["action"]!.GetValue<string>() == "config-change")!["detail"]!.GetValue<string>();
        Assert.That(change, Does.Contain("configuration version 2 (via Singapore)").And.Contain("+ \"Name\": \"Thailand via Singapore\",").And.Contain("+ \"SG\": {"));

        var stale = await admin.PutAsync("/api/config?expectedVersion=1", Json(before["configuration"]!));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "saved over version 2 from a page that showed version 1");

        var rollback = await admin.PostAsync("/api/config/rollback?version=1", null);
        Assert.That(rollback.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rollback.Content.ReadAsStringAsync());
        Assert.That(JsonNode.Parse(await rollback.Content.ReadAsStringAsync())!["version"]!.GetValue<long>(), Is.EqualTo(3), "a roll back is a new version");
        await DropAndWaitAsync(hub, "REFROLLED", "TH");
        var versions = JsonNode.Parse(await admin.GetStringAsync("/api/config/versions"))!;
        Assert.That(versions["total"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(versions["versions"]![0]!["comment"]!.GetValue<string>(), Is.EqualTo("roll back to version 1"));
    }

    [Test]
    public async Task An_invalid_configuration_is_refused_with_every_error_a_viewer_may_not_save_and_unknown_versions_are_404()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var admin = await hub.ClientAsync("admin");
        using var viewer = await hub.ClientAsync("viewer");
        var configuration = await ConfigurationAsync(admin);
        var bad = configuration.DeepClone().AsObject();
        bad["Partners"]!["TH"]!["Country"] = "thailand";
        bad["Routes"]![0]!["To"] = new JsonArray("XX");

        var refused = await admin.PutAsync("/api/config", Json(bad));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.That(errors, Has.Count.EqualTo(2), string.Join('\n', errors));
        Assert.That(errors, Has.One.StartsWith("Hub:Partners:TH:Country 'thailand' is not an ISO 3166 alpha-2 code"));
        Assert.That(errors, Has.One.StartsWith("Hub:Routes:0 (EDIFACT to Thailand):To names partner 'XX'"));
        Assert.That(JsonNode.Parse(await admin.GetStringAsync("/api/config"))!["version"]!.GetValue<long>(), Is.EqualTo(1), "nothing saved");

        var notJson = await admin.PutAsync("/api/config", new StringContent("{ Partners", Encoding.UTF8, "application/json"));
        Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await notJson.Content.ReadAsStringAsync(), Does.Contain("not valid JSON"));
        Assert.That((await viewer.PutAsync("/api/config", Json(configuration))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await viewer.GetAsync("/api/config")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "channel settings are for admins");
        var unknown = await admin.PostAsync("/api/config/rollback?version=42", null);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("there is no configuration version 42"));
        Assert.That((await admin.PostAsync("/api/config/rollback?version=abc", null)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Config_export_and_import_move_the_configuration_and_the_store_stays_the_source_after_a_restart()
    {
        await using var hub = new HubProcess();
        var exported = Path.Combine(hub.Folder, "exported.json");
        var export = await hub.CliAsync("config", "export", "-o", exported);
        Assert.That(export.ExitCode, Is.EqualTo(0), export.Error);
        var document = JsonNode.Parse(await File.ReadAllTextAsync(exported))!.AsObject();
        Assert.That(document["Partners"]!["CN"]!["Identifiers"]![0]!.GetValue<string>(), Is.EqualTo("CNSW"), "an empty store exports hub.json's partners");

        // A folder channel has no Password: the import is refused (exit 1, one line per error) and nothing is saved.
        document["Partners"]!["TH"]!["Outbound"]!["Password"] = "not-a-folder-setting";
        await File.WriteAllTextAsync(exported, document.ToJsonString());
        var invalid = await hub.CliAsync("config", "import", exported);
        Assert.That(invalid.ExitCode, Is.EqualTo(1), invalid.Output + invalid.Error);
        Assert.That(invalid.Error.Trim().Split('\n'), Has.Length.EqualTo(1), invalid.Error);
        Assert.That(invalid.Error, Does.Contain("Hub:Partners:TH:Outbound:Password is not a setting the hub knows"));

        document["Partners"]!["TH"]!["Outbound"]!.AsObject().Remove("Password");
        document = WithSingapore(document);
        await File.WriteAllTextAsync(exported, document.ToJsonString());
        var imported = await hub.CliAsync("config", "import", exported, "--comment", "Singapore");
        Assert.That(imported.ExitCode, Is.EqualTo(0), imported.Error);
        Assert.That(imported.Output, Does.Contain("configuration version 2 saved"));
        var versions = await hub.CliAsync("config", "versions");
        Assert.That(versions.Output.Trim().Split('\n').Select(l => l.Trim()[..1]), Is.EqualTo(new[] { "2", "1" }), versions.Output);
        Assert.That(versions.Output, Does.Contain("Singapore").And.Contain("seeded from"));

        // hub.json is unchanged since it seeded version 1: the store's newest version is what runs.
        await hub.StartAsync();
        await DropAndWaitAsync(hub, "REFIMPORT", "SG");

        Assert.That((await hub.CliAsync("config", "import")).ExitCode, Is.EqualTo(2), "no file: usage");
        Assert.That((await hub.CliAsync("config", "frobnicate")).ExitCode, Is.EqualTo(2));
        var missing = await hub.CliAsync("config", "import", Path.Combine(hub.Folder, "missing.json"));
        Assert.That((missing.ExitCode, missing.Error.Trim().Split('\n').Length), Is.EqualTo((2, 1)), missing.Error);
        await File.WriteAllTextAsync(exported, "[1, 2]");
        var notObject = await hub.CliAsync("config", "import", exported);
        Assert.That((notObject.ExitCode, notObject.Error.Trim().Split('\n').Length), Is.EqualTo((1, 1)), notObject.Error);
    }
    [Test]
    public async Task An_edited_hub_json_is_taken_in_as_a_new_version_at_the_next_start_and_an_unchanged_one_is_not()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        Assert.That(await hub.StopAsync(), Is.EqualTo(0));
        await hub.StartAsync();
        Assert.That(await hub.StopAsync(), Is.EqualTo(0));
        var unchanged = await hub.CliAsync("config", "versions");
        Assert.That(unchanged.Output.Trim().Split('\n'), Has.Length.EqualTo(1), "a restart with the same file adds no version: " + unchanged.Output);

        var file = JsonNode.Parse(await File.ReadAllTextAsync(hub.ConfigPath))!.AsObject();
        file["Hub"]!["Routes"]!.AsArray().Insert(0, new JsonObject { ["Name"] = "all to China", ["To"] = new JsonArray("CN") });
        await File.WriteAllTextAsync(hub.ConfigPath, file.ToJsonString());
        await hub.StartAsync();
        var versions = await hub.CliAsync("config", "versions");
        Assert.That(versions.Output, Does.Contain("changed since it was last taken into the store"), versions.Output);
        await DropAndWaitAsync(hub, "REFEDITED", "CN");
    }
}
