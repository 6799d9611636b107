using System.Globalization;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Host.Composition;
using Quartz;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// Every Hub:Processing:PollInterval: asks the store whether a newer configuration version exists (one MAX query) and
/// applies it (<see cref="CurrentConfiguration"/>). When partners changed, their cached channels are dropped and the
/// poll jobs are made to match the partners: a new partner's inbound channel is polled, a removed one's is not.
/// </summary>
internal sealed class ConfigurationRefreshService(CurrentConfiguration current, HubOptions options, ChannelRegistry registry, InboundChannelCache inbound,
    ISchedulerFactory schedulers, ILogger<ConfigurationRefreshService> logger) : BackgroundService
{
    private const string PollJobPrefix = "poll-";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        current.PartnersChanged += OnPartnersChangedAsync;
        try
        {
            // The poll jobs were declared from the file's partners; the store's version may have others.
            try
            {
                await ReconcileAsync(options.Partners.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is SchedulerException or System.Data.Common.DbException)
            {
                // The declared jobs keep running; the next version change reconciles again. Never a reason to stop the host.
                logger.LogError("Matching the poll jobs to the configuration in the store failed: {Error}", Core.Text.PartnerText.Escape(ex.Message));
            }
            using var timer = new PeriodicTimer(options.Processing.PollInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await current.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (StoreOutage.IsStoreFault(ex) || ex is IOException))
                {
                    // The store is down: the loops report the outage; keep the running version and ask again next poll.
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Never let a bad version or a scheduler fault stop the host: keep the running version, log, retry.
                    logger.LogError("Checking for a new configuration version failed: {Error}", Core.Text.PartnerText.Escape(ex.Message));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            current.PartnersChanged -= OnPartnersChangedAsync;
        }
    }

    private async Task OnPartnersChangedAsync(IReadOnlySet<string> changed)
    {
        registry.Forget(changed);
        foreach (var partner in changed)
        {
            await inbound.DropAsync(partner);
        }
        await ReconcileAsync(changed, CancellationToken.None);
    }

    /// <summary>One poll job per partner with a polled inbound channel; jobs of <paramref name="changed"/> partners get a new trigger.</summary>
    private async Task ReconcileAsync(IReadOnlySet<string> changed, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var desired = options.Partners.Where(p => p.Value.Inbound is { } section && !string.Equals(section["Type"], "as2", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => PollJobPrefix + p.Key, p => (Partner: p.Key, Schedule: p.Value.Inbound!["Schedule"]), StringComparer.OrdinalIgnoreCase);
        var existing = (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(JobKey.DefaultGroup), cancellationToken))
            .Where(k => k.Name.StartsWith(PollJobPrefix, StringComparison.Ordinal)).ToList();
        foreach (var key in existing.Where(k => !desired.ContainsKey(k.Name)))
        {
            await scheduler.DeleteJob(key, cancellationToken);
            logger.LogInformation("Stopped polling {Job}: the partner or its inbound channel is no longer configured", key.Name);
        }
        foreach (var (name, (partner, schedule)) in desired)
        {
            if (existing.Any(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) && !changed.Contains(partner))
            {
                continue;
            }
            var key = new JobKey(PollJobPrefix + partner);
            var job = JobBuilder.Create<InboundPollJob>().WithIdentity(key).UsingJobData(InboundPollJob.PartnerKey, partner).Build();
            // Replaced in one job-store call, not deleted then scheduled: instances sharing the clustered scheduler start
            // together and reconcile the same jobs, and a delete-then-add raced into ObjectAlreadyExistsException, which
            // stopped the host (found by the three-instance failover test).
            await scheduler.ScheduleJob(job, Trigger(key, partner, schedule), ScheduleJobOptions.Replacing, cancellationToken);
        }
    }

    /// <summary>As RunVerb.AddScheduler declares them: a cron expression, else an interval (Hub:Processing:InboundInterval when none).</summary>
    private ITrigger Trigger(JobKey key, string partner, string? schedule)
    {
        var trigger = TriggerBuilder.Create().ForJob(key).WithIdentity($"poll-{partner}-trigger").StartNow();
        if (!string.IsNullOrWhiteSpace(schedule) && !TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out _))
        {
            return trigger.WithCronSchedule(schedule, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)).Build();
        }
        var interval = string.IsNullOrWhiteSpace(schedule) ? options.Processing.InboundInterval : TimeSpan.Parse(schedule, CultureInfo.InvariantCulture);
        return trigger.WithSimpleSchedule(simple => simple.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)).Build();
    }
}
