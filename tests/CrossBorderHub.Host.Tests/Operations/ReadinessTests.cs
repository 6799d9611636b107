using Npgsql;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>
/// A real `hub run` on a real PostgreSQL: /health/ready is 200 with every check named, then PostgreSQL is stopped and
/// ready turns 503 naming the store while /health/live stays 200 (the process is fine; restarting it would not help).
/// </summary>
[NonParallelizable]
public sealed class ReadinessTests
{
    [Test]
    public async Task Ready_is_200_naming_each_check_then_503_naming_the_store_when_postgres_stops_while_live_stays_200()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("hub_ready");
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Store"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject { ["Inbound"] = new JsonObject { ["Schedule"] = "00:00:00.200" } },
                },
            },
        });
        try
        {
            await hub.StartAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var ready = new Uri($"http://127.0.0.1:{hub.AdminPort}/health/ready");
            var live = new Uri($"http://127.0.0.1:{hub.AdminPort}/health/live");
            JsonNode? body = null;
            var status = 0;
            Assert.That(await HubProcess.EventuallyAsync(async () =>
            {
                using var response = await http.GetAsync(ready);
                status = (int)response.StatusCode;
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                return status == 200;
            }, TimeSpan.FromSeconds(20)), Is.True, $"ready answered {status}: {body}\n{hub.Log}");
            var checks = body!["checks"]!.AsObject().Select(c => c.Key).ToList();
            Assert.That(checks, Is.EquivalentTo(new[] { "store", "blobs", "scheduler", "channels" }), body.ToJsonString());
            Assert.That(body["checks"]!["channels"]!["data"]!["CN"]!.GetValue<string>(), Does.StartWith("ok"), "the CN channel's last poll is shown");
            Assert.That((int)(await http.GetAsync(live)).StatusCode, Is.EqualTo(200));

            await postgres.StopAsync();
            Assert.That(await HubProcess.EventuallyAsync(async () =>
            {
                using var response = await http.GetAsync(ready);
                status = (int)response.StatusCode;
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                return status == 503;
            }, TimeSpan.FromSeconds(30)), Is.True, $"ready answered {status}: {body}");
            Assert.That(body!["failed"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "store" }), body.ToJsonString());
            Assert.That(body["checks"]!["store"]!["description"]!.GetValue<string>(), Does.StartWith("message store unreachable"), body.ToJsonString());
            Assert.That((int)(await http.GetAsync(live)).StatusCode, Is.EqualTo(200), "live does not depend on the store");
        }
        finally
        {
            await hub.KillAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
