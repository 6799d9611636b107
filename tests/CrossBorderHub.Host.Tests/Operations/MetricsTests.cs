namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>The Prometheus scrape endpoint of a running hub: the per-partner counters move while files flow.</summary>
[TestFixture]
[NonParallelizable]
public sealed class MetricsTests
{
    [Test]
    public async Task The_per_partner_delivered_counter_on_metrics_rises_as_dropped_files_are_delivered()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.AdminPort}") };
        var before = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(Delivered(before), Is.Zero, before);
        Assert.That(PrometheusText.Has(before, "dotnet_gc_collections_total"), Is.True, "runtime instrumentation is exported");

        var seen = new List<double>();
        for (var batch = 1; batch <= 2; batch++)
        {
            for (var i = 0; i < 3; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), $"b{batch}-{i}.edi"), TestDocuments.Cusdec($"REF{batch}{i:000}"));
            }
            var expected = batch * 3;
            Assert.That(await HubProcess.EventuallyAsync(async () =>
            {
                var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                seen.Add(Delivered(scrape));
                return Delivered(scrape) == expected;
            }, TimeSpan.FromSeconds(20)), Is.True, $"delivered counter went {string.Join(", ", seen)}; expected {expected}\n{hub.Log}");
        }

        var after = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(PrometheusText.Value(after, "crossborderhub_messages_received_total", ("partner", "CN"), ("document_type", "CUSDEC")), Is.EqualTo(6), after);
        Assert.That(PrometheusText.Value(after, "crossborderhub_delivery_latency_seconds_count", ("partner", "TH")), Is.EqualTo(6), after);
        Assert.That(PrometheusText.Value(after, "crossborderhub_payload_size_bytes_count", ("partner", "CN")), Is.EqualTo(6), after);
        Assert.That(PrometheusText.Value(after, "crossborderhub_processing_duration_seconds_count", ("partner", "CN")), Is.EqualTo(6), after);
        Assert.That(PrometheusText.Has(after, "crossborderhub_outbox_depth"), Is.True, after);
        // The store gauges are read at most once a second, and a message turns Delivered just after its delivery counts.
        Assert.That(await HubProcess.EventuallyAsync(async () => PrometheusText.Value(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            "crossborderhub_messages", ("status", "Delivered")) == 6, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(PrometheusText.Value(after, "crossborderhub_messages_delivered_total", ("partner", "CN")), Is.Zero, "nothing went to CN");
    }

    [Test]
    public async Task An_otlp_endpoint_that_is_not_a_url_and_an_unknown_protocol_are_named_at_start_up_and_exit_2()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Telemetry"] = new JsonObject { ["Otlp"] = new JsonObject { ["Endpoint"] = "collector:4317", ["Protocol"] = "udp" } },
        });
        var result = await hub.CliAsync("run");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("Telemetry:Otlp:Endpoint is 'collector:4317', which is not an http(s) URL"));
        Assert.That(result.Error, Does.Contain("Telemetry:Otlp:Protocol is 'udp': set it to grpc (the default) or http/protobuf."));
    }

    private static double Delivered(string scrape) =>
        PrometheusText.Value(scrape, "crossborderhub_messages_delivered_total", ("partner", "TH"), ("document_type", "CUSDEC"));
}
