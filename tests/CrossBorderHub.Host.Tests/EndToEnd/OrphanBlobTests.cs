using CrossBorderHub.Host.Tests.Operations;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>Issue 11 defect 4: a kill during intake left its temporary file in blobs/incoming forever.</summary>
[NonParallelizable]
public sealed class OrphanBlobTests
{
    private static string Plant(HubProcess hub, TimeSpan age)
    {
        var incoming = Directory.CreateDirectory(Path.Combine(hub.Data, "blobs", "incoming")).FullName;
        var path = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        // What a SIGKILL during a large intake leaves: part of the bytes under the temporary name, no row.
        File.WriteAllBytes(path, new byte[256 * 1024]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static async Task<string> MetricsAsync(HubProcess hub)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{hub.AdminPort}/metrics"));
    }

    [Test]
    public async Task Orphan_partial_blobs_are_removed_at_start_up_and_on_schedule_and_counted_on_metrics_while_fresh_ones_are_kept()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["Processing"] = new JsonObject { ["OrphanBlobAge"] = "00:01:00", ["OrphanBlobSweepInterval"] = "00:00:01" } },
        });
        var killed = Plant(hub, TimeSpan.FromHours(2));
        var fresh = Plant(hub, TimeSpan.FromSeconds(1));

        await hub.StartAsync();

        Assert.That(File.Exists(killed), Is.False, "the orphan of a killed intake is still in blobs/incoming after start-up");
        Assert.That(File.Exists(fresh), Is.True, "a temporary file younger than OrphanBlobAge (an intake in progress) was removed");
        var metrics = await MetricsAsync(hub);
        Assert.That(PrometheusText.Value(metrics, "crossborderhub_orphan_blobs_removed_total"), Is.EqualTo(1), metrics);
        Assert.That(PrometheusText.Value(metrics, "crossborderhub_orphan_blob_bytes_removed_total"), Is.EqualTo(256 * 1024));
        Assert.That(PrometheusText.Value(metrics, "crossborderhub_incoming_blobs"), Is.EqualTo(1));
        Assert.That(PrometheusText.Has(metrics, "crossborderhub_orphan_blobs") && PrometheusText.Value(metrics, "crossborderhub_orphan_blobs") == 0, Is.True);
        Assert.That(hub.Log, Does.Contain("Removed 1 orphan temporary blob"));

        // Left while the hub runs (another instance sharing the data root was killed): the scheduled sweep takes it.
        var later = Plant(hub, TimeSpan.FromHours(1));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(!File.Exists(later)), TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        // The file goes first, the count after it: wait for the count rather than read it at the file's removal.
        Assert.That(await HubProcess.EventuallyAsync(async () => PrometheusText.Value(await MetricsAsync(hub), "crossborderhub_orphan_blobs_removed_total") == 2,
            TimeSpan.FromSeconds(15)), Is.True, await MetricsAsync(hub));
        Assert.That(File.Exists(fresh), Is.True);
    }

    [Test]
    public async Task An_orphan_blob_age_under_a_minute_is_refused_at_start_up()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["Processing"] = new JsonObject { ["OrphanBlobAge"] = "00:00:05" } },
        });
        var result = await hub.CliAsync("run");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Hub:Processing:OrphanBlobAge"));
    }
}
