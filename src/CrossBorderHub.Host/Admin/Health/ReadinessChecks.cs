using System.Text;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Workers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CrossBorderHub.Host.Admin.Health;

/// <summary>The message store answers a one-row query (a real round trip, not the outage flag set by the loops).</summary>
internal sealed class MessageStoreCheck(IMessageQueries store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.FindAsync(new MessageQuery { Limit = 1 }, cancellationToken);
            return HealthCheckResult.Healthy("message store answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"message store unreachable: {ex.GetBaseException().Message}");
        }
    }
}

/// <summary>
/// The blob store takes and returns a probe (content-addressed: the same blob every time). With the default tiered
/// store the probe is one byte over the inline limit, so it goes to the data disk: this check is about the disk (full,
/// read-only, unmounted), the "store" check about the database that holds the small payloads.
/// </summary>
internal sealed class BlobStoreCheck(IBlobStore blobs) : IHealthCheck
{
    private static readonly byte[] SmallProbe = Encoding.ASCII.GetBytes("crossborderhub readiness probe\n");

    private readonly byte[] _probe = blobs is CrossBorderHub.Storage.Blobs.TieredBlobStore
        ? Enumerable.Repeat(SmallProbe, CrossBorderHub.Storage.Blobs.TieredBlobStore.InlineLimit / SmallProbe.Length + 1).SelectMany(b => b).ToArray()
        : SmallProbe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var content = new MemoryStream(_probe, writable: false);
            var info = await blobs.PutAsync(content, cancellationToken);
            await using var read = blobs.OpenRead(info.Sha256);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, cancellationToken);
            return copy.ToArray().AsSpan().SequenceEqual(_probe)
                ? HealthCheckResult.Healthy("blob store writes and reads")
                : HealthCheckResult.Unhealthy($"blob store returned different bytes for probe {info.Sha256}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"blob store not writable: {ex.GetBaseException().Message}");
        }
    }
}

/// <summary>Quartz runs the polls and sweeps: a scheduler in standby or shut down polls nothing.</summary>
internal sealed class SchedulerCheck(ISchedulerFactory factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var state = await scheduler.GetStatus(cancellationToken);
        return state == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler running")
            : HealthCheckResult.Unhealthy($"scheduler not running (status {state})");
    }
}

/// <summary>Each inbound channel's last poll: one failing partner makes the hub not ready and is named.</summary>
internal sealed class ChannelPollCheck(ChannelPollStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = status.Snapshot();
        var data = last.ToDictionary(p => p.Key, p => (object)(p.Value.Ok ? $"ok at {p.Value.At:O}" : $"failed at {p.Value.At:O}: {p.Value.Error}"));
        var failed = last.Where(p => !p.Value.Ok).Select(p => $"{p.Key}: {p.Value.Error}").ToList();
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{last.Count} channel(s) polled fine", data)
            : HealthCheckResult.Unhealthy($"last poll failed for {string.Join("; ", failed)}", data: data));
    }
}
