using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace LifeOs.Core.Sync;

public enum EnqueueOutcome
{
    Queued,
    AlreadyActive,
    NotConnected,
    NeedsReconnect,
}

public sealed record EnqueueResult(EnqueueOutcome Outcome, long? RunId);

/// <summary>
/// Queues a run: a <see cref="SyncRun"/> row (a unique index admits one queued or running run per connection,
/// across app instances) and a one-off Quartz trigger for <see cref="SyncConnectionJob"/>. No sync work happens
/// in the caller's request.
/// </summary>
public sealed class SyncQueue(LifeOsDbContext db, ISchedulerFactory schedulers, IOptions<SyncOptions> options, TimeProvider time, ILogger<SyncQueue> logger)
{
    public async Task<EnqueueResult> EnqueueAsync(string userId, ProviderKind provider, SyncTrigger trigger, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<Connection>().AsNoTracking()
            .Where(c => c.UserId == userId && c.Provider == provider)
            .Select(c => new { c.Id, c.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (connection is null)
        {
            return new(EnqueueOutcome.NotConnected, null);
        }

        return connection.Status == ConnectionStatus.NeedsReconnect
            ? new(EnqueueOutcome.NeedsReconnect, null)
            : await EnqueueConnectionAsync(connection.Id, userId, trigger, cancellationToken);
    }

    /// <summary>
    /// The user asks for history from <paramref name="from"/>: cursors that start later are widened and start over
    /// (writes are idempotent, so fetching days already stored again only costs requests), and a backfill is queued.
    /// </summary>
    public async Task<EnqueueResult> RequestHistoryAsync(string userId, ProviderKind provider, DateOnly from, CancellationToken cancellationToken = default)
    {
        var connectionId = await db.Set<Connection>().Where(c => c.UserId == userId && c.Provider == provider)
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (connectionId is { } id)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.Set<SyncCursor>().Where(c => c.ConnectionId == id && c.HistoryFrom > from).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.HistoryFrom, from)
                .SetProperty(c => c.CompleteThrough, (DateOnly?)null)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }

        return await EnqueueAsync(userId, provider, SyncTrigger.Backfill, cancellationToken);
    }

    /// <param name="beforeStart">
    /// Runs after the row exists and before the job is fired: a targeted (webhook) run attaches the notifications
    /// that say what it fetches, so no worker can claim it before it knows.
    /// </param>
    public async Task<EnqueueResult> EnqueueConnectionAsync(long connectionId, string userId, SyncTrigger trigger, CancellationToken cancellationToken = default,
        Func<long, CancellationToken, Task>? beforeStart = null)
    {
        var run = new SyncRun { ConnectionId = connectionId, UserId = userId, Trigger = trigger, Status = SyncRunStatus.Queued, QueuedAt = time.GetUtcNow().UtcDateTime };
        db.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (beforeStart is not null)
            {
                await beforeStart(run.Id, cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // The unique index on active runs: one is already queued or running for this connection.
            db.Entry(run).State = EntityState.Detached;
            var active = await db.Set<SyncRun>().AsNoTracking()
                .Where(r => r.ConnectionId == connectionId && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running))
                .Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
            return new(EnqueueOutcome.AlreadyActive, active);
        }

        if (!options.Value.RunScheduler)
        {
            // Tests (and tools) run queued runs themselves with SyncService.RunAsync.
            return new(EnqueueOutcome.Queued, run.Id);
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        // Fire the durable job now with this run's id; the thread pool (Sync:MaxConcurrency) bounds how many run at once.
        await scheduler.ScheduleJob(RunTrigger(run.Id, time), cancellationToken: cancellationToken);
        logger.LogInformation("Queued {Trigger} sync run {RunId} for connection {ConnectionId}", trigger, run.Id, connectionId);
        return new(EnqueueOutcome.Queued, run.Id);
    }

    /// <summary>
    /// A one-off trigger for a queued run that never misfires. A run waits in the queue for as long as the runs before
    /// it take (a night of 1,000 Withings users at the app-wide limit: minutes), and Quartz counts a trigger more than its
    /// misfire threshold (60 s) late as misfired: its store stops handing it to schedulers until its misfire handler,
    /// which wakes once a threshold, has rescheduled it, so a long queue stalled for up to a minute (issue 20's nightly
    /// figure lost 45 s that way) while the threads had nothing to run. Ignoring misfires keeps every queued run due
    /// from the moment it is queued until a thread is free, in queue order. Its start time is on the app's clock, as
    /// <c>TriggerJob</c>'s was: the in-memory store compares start times with it (on another clock, a run queued in the
    /// tests' fake time never came due).
    /// </summary>
    private static ITrigger RunTrigger(long runId, TimeProvider time) => TriggerBuilder.Create(time)
        .ForJob(SyncConnectionJob.Key)
        .UsingJobData(SyncConnectionJob.RunIdKey, runId)
        .StartNow()
        .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires))
        .Build();
}

/// <summary>
/// Runs one queued <see cref="SyncRun"/>. Thin: <see cref="SyncService"/> does the work. Fired again by Quartz's
/// recovery when the instance running it died (a cluster on PostgreSQL): then it takes the run over.
/// </summary>
public sealed class SyncConnectionJob(SyncService sync) : IJob
{
    public const string RunIdKey = "runId";

    public static readonly JobKey Key = new("sync-connection", "sync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var runId = context.MergedJobDataMap.GetLong(RunIdKey);
        WriteLockMonitor.Origin = "sync";
        try
        {
            await (context.Recovering ? sync.TakeOverAsync(runId, cancellationToken) : sync.RunAsync(runId, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the run is recorded as stopped and its cursors say where to continue.
        }
    }
}

/// <summary>Every few minutes: queue the nightly runs that are due (and any missed while the app was down), resume stopped backfills, prune history.</summary>
[DisallowConcurrentExecution]
public sealed class NightlySyncJob(NightlyPlanner planner) : IJob
{
    public static readonly JobKey Key = new("nightly-dispatch", "sync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await planner.QueueDueAsync(cancellationToken);
}
