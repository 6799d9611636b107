using CrossBorderHub.Core.Alerts;
using Quartz;

namespace CrossBorderHub.Host.Alerts;

/// <summary>
/// Every Hub:Alerts:Interval: evaluates the rules, raises what is new and clears what is gone, notifying each change
/// once. The store decides who notifies (IAlertStore returns whether this call changed the row), so a restart or a
/// second instance does not send the same alert again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class AlertJob(AlertRules rules, IAlertStore store, AlertNotifier notifier, TimeProvider time, ILogger<AlertJob> logger) : IJob
{
    public static readonly JobKey Key = new("evaluate-alerts");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The store is unreachable right now: health reports that; the next run evaluates again.
            logger.LogWarning("Alert evaluation failed: {Error}; trying again at the next run", ex.Message);
        }
    }

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var active = (await rules.ActiveAsync(cancellationToken)).ToDictionary(a => a.Key, StringComparer.Ordinal);
        var open = (await store.OpenAsync(cancellationToken)).ToDictionary(a => a.Key, StringComparer.Ordinal);
        foreach (var alert in active.Values.Where(a => !open.ContainsKey(a.Key)))
        {
            if (await store.RaiseAsync(alert, cancellationToken))
            {
                await notifier.NotifyAsync(alert, cleared: false, cancellationToken);
            }
        }
        foreach (var alert in open.Values.Where(a => !active.ContainsKey(a.Key)))
        {
            if (await rules.StillHoldsAsync(alert, cancellationToken))
            {
                continue;
            }
            var now = time.GetUtcNow();
            if (await store.ClearAsync(alert.Key, now, cancellationToken))
            {
                await notifier.NotifyAsync(alert with { ClearedAt = now }, cleared: true, cancellationToken);
            }
        }
    }
}
