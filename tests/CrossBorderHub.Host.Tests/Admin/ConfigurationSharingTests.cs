using System.Text;
using CrossBorderHub.Host.Composition;
using Npgsql;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Several instances share the configuration through the store; secrets never leave it unmasked.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConfigurationSharingTests
{
    [Test]
    public async Task A_version_saved_on_one_instance_is_applied_by_another_sharing_the_postgres_store_within_a_poll()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("hub_config_share");
        // As in ClusterTests: one data root (blobs, folders) and a clustered scheduler, so either instance may take any step.
        var shared = Directory.CreateTempSubdirectory("hub-config-share-").FullName;
        JsonObject Settings(string instance) => new()
        {
            ["Hub"] = new JsonObject
            {
                ["DataRoot"] = shared,
                ["InstanceName"] = instance,
                ["Store"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
                ["Scheduler"] = new JsonObject { ["Clustered"] = true, ["CheckinInterval"] = "00:00:02" },
            },
        };
        await using var a = new HubProcess(Settings("node-a"));
        await using var b = new HubProcess(Settings("node-b"));
        try
        {
            await a.StartAsync();
            await b.StartAsync();
            using var adminA = await a.ClientAsync("admin");
            // One user for both: the users are in the shared store too.
            using var adminB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{b.AdminPort}"), Timeout = TimeSpan.FromSeconds(20) };
            adminB.DefaultRequestHeaders.Authorization = adminA.DefaultRequestHeaders.Authorization;
            Assert.That(JsonNode.Parse(await adminB.GetStringAsync("/api/config"))!["version"]!.GetValue<long>(), Is.EqualTo(1), "B found A's seeded version and its own file unchanged");

            var document = JsonNode.Parse(await adminA.GetStringAsync("/api/config"))!["configuration"]!.AsObject();
            document["Partners"]!["SG"] = new JsonObject { ["Country"] = "SG", ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "deliver/SG" } };
            document["Routes"]!.AsArray().Insert(0, new JsonObject { ["Recipient"] = "THSW", ["To"] = new JsonArray("SG") });
            var clock = Stopwatch.StartNew();
            var put = await adminA.PutAsync("/api/config", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
            Assert.That(await HubProcess.EventuallyAsync(async () => JsonNode.Parse(await adminB.GetStringAsync("/api/config"))!["version"]!.GetValue<long>() == 2, TimeSpan.FromSeconds(10)),
                Is.True, b.Log);
            TestContext.Out.WriteLine($"version 2 saved on A was running on B after {clock.ElapsedMilliseconds} ms (poll interval 200 ms)");

            var drop = Directory.CreateDirectory(Path.Combine(shared, "drop", "CN")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(drop, "shared.edi"), TestDocuments.Cusdec("REFSHARED"));
            var deliver = Path.Combine(shared, "deliver", "SG");
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(Directory.Exists(deliver) && Directory.GetFiles(deliver).Any(f => !Path.GetFileName(f).StartsWith('.'))),
                TimeSpan.FromSeconds(30)), Is.True, $"A:\n{a.Log}\nB:\n{b.Log}");
        }
        finally
        {
            await a.KillAsync();
            await b.KillAsync();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    private static JsonObject WithSecret() => ConfigurationDocument.Parse("""
        {"Partners": {"TH": {"Outbound": {"Type": "sftp", "Host": "sftp.example.org", "Password": "hunter2-secret", "PasswordEnv": "TH_PASSWORD",
          "Tls": {"ClientCertificatePassword": "pfx-secret"}}}}, "Routes": []}
        """).Document!;

    [Test]
    public void Secrets_are_masked_in_what_is_shown_and_a_mask_sent_back_keeps_the_stored_secret()
    {
        var stored = WithSecret();
        var shown = ConfigurationDocument.Text(ConfigurationDocument.Masked(stored));
        Assert.That(shown, Does.Not.Contain("hunter2").And.Not.Contain("pfx-secret"));
        Assert.That(shown, Does.Contain("\"Password\": \"********\"").And.Contain("\"PasswordEnv\": \"TH_PASSWORD\""), "a variable's name is no secret");
        Assert.That(string.Join('\n', ConfigurationDocument.Diff(null, stored)), Does.Not.Contain("hunter2"), "nor in the audit's diff");

        var edited = ConfigurationDocument.Masked(stored);
        edited["Partners"]!["TH"]!["Outbound"]!["Host"] = "sftp2.example.org";
        ConfigurationDocument.Unmask(edited, stored);
        Assert.That(edited["Partners"]!["TH"]!["Outbound"]!["Password"]!.GetValue<string>(), Is.EqualTo("hunter2-secret"));
        Assert.That(edited["Partners"]!["TH"]!["Outbound"]!["Tls"]!["ClientCertificatePassword"]!.GetValue<string>(), Is.EqualTo("pfx-secret"));
        Assert.That(ConfigurationDocument.ChangedPartners(stored, edited), Is.EquivalentTo(new[] { "TH" }));
    }

    [Test]
    public void A_document_that_is_not_partners_and_routes_is_one_line_naming_the_fix()
    {
        Assert.That(ConfigurationDocument.Parse("[]").Error, Does.Contain("must be a JSON object"));
        Assert.That(ConfigurationDocument.Parse("""{"Partners": []}""").Error, Does.Contain("Partners must be an object"));
        Assert.That(ConfigurationDocument.Parse("""{"Partners": {}, "Routes": {}}""").Error, Does.Contain("Routes must be an array"));
        Assert.That(ConfigurationDocument.Parse("""{"DataRoot": "x"}""").Error, Does.Contain("no Partners"));
        Assert.That(ConfigurationDocument.Parse("""{"Hub": {"Partners": {"TH": {}}}}""").Document!["Partners"]!["TH"], Is.Not.Null, "a whole hub.json is accepted");
    }
}
