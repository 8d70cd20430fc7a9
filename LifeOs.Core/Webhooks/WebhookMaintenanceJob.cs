using LifeOs.Core.Sync;
using Microsoft.Extensions.Options;
using Quartz;

namespace LifeOs.Core.Webhooks;

/// <summary>
/// Hourly: prune notifications older than 30 days and give a run to any left waiting; once a day (and at start-up),
/// check every subscription. Fired with a connection id after a connect, it checks only that connection's.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WebhookMaintenanceJob(WebhookInbox inbox, WebhookSubscriptions subscriptions, WebhookSettings settings, WebhookSchedule schedule, TimeProvider time) : IJob
{
    public const string ConnectionIdKey = "connectionId";

    /// <summary>Set when the administrator asks for a check now, whenever the last one was.</summary>
    public const string CheckAllKey = "checkAll";

    public static readonly JobKey Key = new("webhook-maintenance", "webhooks");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (context.MergedJobDataMap.ContainsKey(ConnectionIdKey))
        {
            await subscriptions.EnsureConnectionAsync(context.MergedJobDataMap.GetLong(ConnectionIdKey), cancellationToken);
            return;
        }

        await inbox.PruneAndDispatchAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (settings.Enabled && (schedule.IsDue(now) || context.MergedJobDataMap.ContainsKey(CheckAllKey)))
        {
            await subscriptions.EnsureAllAsync(cancellationToken);
            schedule.Checked(now);
        }
    }
}

/// <summary>When the subscriptions were last checked in this process (a restart checks again at once).</summary>
public sealed class WebhookSchedule
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    private DateTimeOffset? last;

    public bool IsDue(DateTimeOffset now) => last is not { } at || now - at >= Interval - TimeSpan.FromMinutes(5);

    public void Checked(DateTimeOffset now) => last = now;
}

/// <summary>Starts the subscription check for a new connection in the background (the provider probes the callback while it runs).</summary>
public sealed class WebhookTrigger(ISchedulerFactory schedulers, IOptions<SyncOptions> options, WebhookSettings settings)
{
    public async Task ConnectedAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        if (!settings.Enabled || !options.Value.RunScheduler)
        {
            // Tests call WebhookSubscriptions themselves.
            return;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(WebhookMaintenanceJob.Key, new JobDataMap { [WebhookMaintenanceJob.ConnectionIdKey] = connectionId }, cancellationToken);
    }

    /// <summary>The administrator's "check subscriptions now".</summary>
    public async Task<bool> CheckAllNowAsync(CancellationToken cancellationToken = default)
    {
        if (!settings.Enabled || !options.Value.RunScheduler)
        {
            return false;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(WebhookMaintenanceJob.Key, new JobDataMap { [WebhookMaintenanceJob.CheckAllKey] = true }, cancellationToken);
        return true;
    }
}
