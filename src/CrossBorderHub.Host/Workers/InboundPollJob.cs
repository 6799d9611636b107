using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Telemetry;
using CrossBorderHub.Core.Text;
using Quartz;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// One Quartz job per inbound channel. DisallowConcurrentExecution: a slow poll is never overlapped by the next one.
/// The channel object is kept between polls (in <see cref="InboundChannelCache"/>) so that adapters can hold a connection.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class InboundPollJob(ChannelRegistry registry, InboundChannelCache channels, IInboundSink sink, ChannelPollStatus status, HubMetrics metrics, PollRequests requests,
    ILogger<InboundPollJob> logger) : IJob
{
    public const string PartnerKey = "partner";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var partner = context.MergedJobDataMap.GetString(PartnerKey)!;
        // A new configuration version may have removed the partner since this run was triggered (its job goes next).
        if (registry.InboundSections.FirstOrDefault(s => string.Equals(s.Partner, partner, StringComparison.OrdinalIgnoreCase)).Section is not { } section)
        {
            return;
        }
        var channel = channels.GetOrCreate(partner, () => registry.CreateInbound(partner, section));
        requests.Taken(partner);
        try
        {
            var result = await channel.PollAsync(sink, cancellationToken);
            status.Succeeded(partner);
            if (result.Deferred > 0)
            {
                requests.Deferred(partner);
            }
            if (result.Accepted + result.Failed > 0)
            {
                logger.LogInformation("Polled {Partner} ({Type}): {Accepted} accepted, {Deferred} waiting, {Failed} failed",
                    partner, section["Type"], result.Accepted, result.Deferred, result.Failed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: whatever was not stored stays at the source for the next start.
        }
        catch (StorageFullException)
        {
            // Intake has logged the full disk once and shows it on /health; the sources stay until space returns.
        }
        catch (StoreUnavailableException)
        {
            // Intake has logged the outage once and shows it on /health; the sources stay, the next poll tries again.
        }
        catch (Exception ex) when (StoreOutage.IsStoreFault(ex))
        {
            // A channel's own store call (none today) or a wrapped one: the same outage, already reported by the loops.
        }
        catch (Exception ex)
        {
            // One partner's broken channel must not stop the others: log, drop the channel (reconnect next time), go on.
            logger.LogError("Polling partner {Partner} channel {Type} failed: {Error}", partner, section["Type"], PartnerText.Escape(ex.Message));
            metrics.PollFailed(partner, section["Type"]);
            status.Failed(partner, $"{section["Type"]} poll failed: {PartnerText.Escape(ex.Message)}");
            await channels.DropAsync(partner);
        }
    }
}
