using Npgsql;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A real `hub run` on a real PostgreSQL store (started by <see cref="PostgresServer"/>) taking a drop of files while
/// the database is stopped with `pg_ctl stop -m fast` and started again: the hub keeps running, says so once and on
/// /health, removes no source it could not record, and delivers every file exactly once when the database is back.
/// </summary>
[NonParallelizable]
public sealed class PostgresOutageTests
{
    [Test]
    public async Task When_postgres_stops_mid_run_the_hub_keeps_every_source_reports_unhealthy_once_and_delivers_each_file_once_after_restart()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("hub_outage");
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Store"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" } },
                },
            },
        });
        try
        {
            await hub.StartAsync();
            var drop = hub.Drop("CN");
            var expected = new Dictionary<string, byte[]>();
            async Task DropAsync(int from, int count)
            {
                for (var i = from; i < from + count; i++)
                {
                    var content = TestDocuments.Cusdec($"PGOUT{i:D4}");
                    expected[$"pg-{i:D4}.edi"] = content;
                    // Written beside, then moved in: the channel here has no minimum age or stability wait, and the
                    // folder watcher polls as soon as a file appears, so a file written in place could be taken empty.
                    var staged = Path.Combine(Path.GetDirectoryName(drop)!, $"staged-pg-{i:D4}.edi");
                    await File.WriteAllBytesAsync(staged, content);
                    File.Move(staged, Path.Combine(drop, $"pg-{i:D4}.edi"));
                    await Task.Delay(20);
                }
            }

            // Mid-run: the first files are flowing (some delivered, some still in the pipeline) when the database stops.
            await DropAsync(0, 30);
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= 5), TimeSpan.FromSeconds(30)), Is.True,
                $"the run was under way before the outage\n{hub.Log}");
            var logBefore = hub.Log.Split('\n').Length;
            await postgres.StopAsync();
            await DropAsync(30, 20);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.That(await HubProcess.EventuallyAsync(async () => (int)(await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/health"))).StatusCode == 503,
                TimeSpan.FromSeconds(20)), Is.True, $"/health reports the unreachable store\n{hub.Log}");
            await Task.Delay(5000); // about 25 polls of the drop folder while the database stays down
            var droppedDuringOutage = Enumerable.Range(30, 20).Select(i => $"pg-{i:D4}.edi").ToList();
            Assert.That(droppedDuringOutage.Where(name => !File.Exists(Path.Combine(drop, name))), Is.Empty,
                "no source removed while its message row could not be committed");
            var outageLog = hub.Log.Split('\n').Skip(logBefore).ToList();
            Assert.That(outageLog.Count(line => line.Contains("Store unreachable", StringComparison.Ordinal)), Is.EqualTo(1),
                $"the outage is logged once, not per poll\n{string.Join('\n', outageLog)}");
            Assert.That(outageLog.Count(line => line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("error", StringComparison.OrdinalIgnoreCase)),
                Is.LessThanOrEqualTo(6), $"no error line per poll while the database is down\n{string.Join('\n', outageLog)}");

            await postgres.RestartAsync();
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= expected.Count && Directory.GetFiles(drop).Length == 0),
                TimeSpan.FromSeconds(60)), Is.True, $"delivered {hub.DeliveredFiles("TH").Length} of {expected.Count}\n{hub.Log}");
            await Task.Delay(1500);
            var delivered = hub.DeliveredFiles("TH");
            Assert.That(delivered, Has.Length.EqualTo(expected.Count), "each file delivered exactly once");
            var byName = delivered.ToDictionary(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-', StringComparison.Ordinal) + 1)..], File.ReadAllBytes);
            Assert.That(byName.Keys, Is.EquivalentTo(expected.Keys));
            foreach (var (name, content) in expected)
            {
                Assert.That(byName[name], Is.EqualTo(content), name);
            }
            Assert.That(await HubProcess.EventuallyAsync(async () => (int)(await http.GetAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/health"))).StatusCode == 200,
                TimeSpan.FromSeconds(10)), Is.True, "health recovers");
            Assert.That(hub.Log.Split('\n').Count(line => line.Contains("Store reachable again", StringComparison.Ordinal)), Is.EqualTo(1), hub.Log);
            var messages = (await hub.MessagesAsync()).Select(m => m!["message"]!).Where(m => m["status"]!.GetValue<string>() != "Duplicate").ToList();
            var statuses = messages.Select(m => m["status"]!.GetValue<string>()).ToList();
            Assert.That(statuses, Has.Count.EqualTo(expected.Count).And.All.EqualTo("Delivered"),
                string.Join("\n", messages.Where(m => m["status"]!.GetValue<string>() != "Delivered").Select(m => m.ToJsonString())) + "\n" + hub.Log);
        }
        finally
        {
            await hub.KillAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
