using Npgsql;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Two hub instances share one PostgreSQL store (started by the fixture) and a clustered Quartz scheduler, and both
/// poll the same drop folder: every file is picked up by one of them and delivered exactly once.
/// </summary>
[NonParallelizable]
public sealed class ClusterTests
{
    [Test]
    public async Task Two_instances_on_one_postgres_share_the_polling_without_a_double_pickup()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("hub_cluster");
        var shared = Directory.CreateTempSubdirectory("hub-cluster-").FullName;
        JsonObject Settings(string instance) => new()
        {
            ["Hub"] = new JsonObject
            {
                ["DataRoot"] = shared,
                ["InstanceName"] = instance,
                ["Store"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
                ["Scheduler"] = new JsonObject { ["Clustered"] = true, ["CheckinInterval"] = "00:00:02" },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "drop/CN", ["Schedule"] = "00:00:00.300", ["MinimumAge"] = "00:00:00" } },
                },
            },
        };
        await using var first = new HubProcess(Settings("node-a"));
        await using var second = new HubProcess(Settings("node-b"));
        try
        {
            await first.StartAsync();
            await second.StartAsync();
            const int files = 40;
            var drop = Directory.CreateDirectory(Path.Combine(shared, "drop", "CN")).FullName;
            for (var i = 0; i < files; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(drop, $"shared-{i:D3}.edi"), TestDocuments.Cusdec($"CLUSTER{i:D3}"));
                await Task.Delay(25);
            }
            var deliver = Path.Combine(shared, "deliver", "TH");
            string[] Delivered() => Directory.Exists(deliver) ? Directory.GetFiles(deliver).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray() : [];
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(Delivered().Length >= files), TimeSpan.FromSeconds(60)), Is.True,
                $"delivered {Delivered().Length}\nA:\n{first.Log}\nB:\n{second.Log}");
            await Task.Delay(1500);
            Assert.That(Delivered(), Has.Length.EqualTo(files));
            var messages = await first.MessagesAsync();
            var statuses = messages.Select(m => m!["message"]!["status"]!.GetValue<string>()).ToList();
            Assert.That(statuses, Has.Count.EqualTo(files), "no file was picked up twice: " + string.Join(", ", statuses));
            Assert.That(statuses, Is.All.EqualTo("Delivered"));
            await using var check = new NpgsqlConnection(connectionString);
            await check.OpenAsync();
            await using var nodes = new NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state", check);
            Assert.That(await nodes.ExecuteScalarAsync(), Is.EqualTo(2L), "both instances checked in to the clustered scheduler");
        }
        finally
        {
            await first.KillAsync();
            await second.KillAsync();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }
}
