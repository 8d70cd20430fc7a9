using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Sync;

/// <summary>
/// Decides who to sync. Schedules are not stored anywhere that a restart could lose: each time, every connection's
/// last due nightly time (<c>Sync:NightlyHour</c> in its user's time zone, today or yesterday) is compared with its
/// last nightly run, so a run missed while the app was down is queued at the first check after start-up.
/// On PostgreSQL several instances share the database: one planner at a time (a session advisory lock) reads that
/// history and queues, so a connection's nightly run is queued once whichever instances plan.
/// </summary>
public sealed class NightlyPlanner(LifeOsDbContext db, SyncQueue queue, IOptions<SyncOptions> options, TimeProvider time, ILogger<NightlyPlanner> logger)
{
    /// <summary>The advisory lock's key (advisory locks are per database): "LifeOsNP" as a number.</summary>
    private const long PlannerLock = 0x4C6966654F734E50;

    public sealed record Planned(long ConnectionId, SyncTrigger Trigger);

    public async Task<IReadOnlyList<Planned>> QueueDueAsync(CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql())
        {
            return await PlanAsync(cancellationToken);
        }

        // The lock belongs to the session, so the planner keeps one connection for its whole pass (no transaction:
        // a refused insert of an already active run must not abort the others).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({PlannerLock}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!locked)
            {
                logger.LogInformation("Nightly sync: another instance is planning; this one skips this pass");
                return [];
            }

            try
            {
                return await PlanAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PlannerLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<IReadOnlyList<Planned>> PlanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hour = options.Value.NightlyHour;
        var cutoff = now.AddDays(-options.Value.HistoryDays);
        var stale = now.AddMinutes(-options.Value.StaleRunMinutes);
        var abandoned = await db.Set<SyncRun>()
            .Where(r => r.Status == SyncRunStatus.Running && (r.HeartbeatAt ?? r.StartedAt ?? r.QueuedAt) < stale)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, SyncService.InterruptedMessage), cancellationToken);
        if (abandoned > 0)
        {
            logger.LogWarning("Failed {Count} sync run(s) whose worker stopped answering more than {Minutes} minutes ago", abandoned, options.Value.StaleRunMinutes);
        }

        var pruned = await db.Set<SyncRun>()
            .Where(r => r.QueuedAt < cutoff && r.Status != SyncRunStatus.Queued && r.Status != SyncRunStatus.Running)
            .ExecuteDeleteAsync(cancellationToken);
        var connections = await (
            from c in db.Set<Connection>().AsNoTracking()
            join u in db.Users.AsNoTracking() on c.UserId equals u.Id
            where c.Status != ConnectionStatus.NeedsReconnect
            select new { c.Id, c.UserId, c.ConnectedAt, u.TimeZoneId }).ToListAsync(cancellationToken);
        var runs = await db.Set<SyncRun>().AsNoTracking()
            .GroupBy(r => r.ConnectionId)
            .Select(g => new
            {
                ConnectionId = g.Key,
                LastNightly = g.Where(r => r.Trigger == SyncTrigger.Nightly).Max(r => (DateTime?)r.QueuedAt),
                LastId = g.Max(r => r.Id),
            })
            .ToDictionaryAsync(r => r.ConnectionId, cancellationToken);
        var lastIds = runs.Values.Select(r => r.LastId).ToList();
        var interrupted = (await db.Set<SyncRun>().AsNoTracking()
            .Where(r => lastIds.Contains(r.Id) && r.Error == SyncService.InterruptedMessage)
            .Select(r => r.ConnectionId).ToListAsync(cancellationToken)).ToHashSet();

        var planned = new List<Planned>();
        foreach (var c in connections)
        {
            var zone = TimeZones.Find(c.TimeZoneId);
            var due = LastDue(now, zone, hour);
            runs.TryGetValue(c.Id, out var history);
            SyncTrigger? trigger =
                history is null ? SyncTrigger.Backfill
                : c.ConnectedAt < due && (history.LastNightly is null || history.LastNightly < due) ? SyncTrigger.Nightly
                : interrupted.Contains(c.Id) ? SyncTrigger.Backfill
                : null;
            if (trigger is { } t && (await queue.EnqueueConnectionAsync(c.Id, c.UserId, t, cancellationToken)).Outcome == EnqueueOutcome.Queued)
            {
                planned.Add(new Planned(c.Id, t));
            }
        }

        if (planned.Count > 0 || pruned > 0)
        {
            logger.LogInformation("Nightly sync: queued {Count} runs, pruned {Pruned} old history rows", planned.Count, pruned);
        }

        return planned;
    }

    /// <summary>The latest instant at or before <paramref name="nowUtc"/> when it was <paramref name="hour"/>:00 in <paramref name="zone"/>.</summary>
    public static DateTime LastDue(DateTime nowUtc, TimeZoneInfo zone, int hour)
    {
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
        var candidate = localNow.Date.AddHours(hour);
        if (candidate > localNow)
        {
            candidate = candidate.AddDays(-1);
        }

        // A local time skipped by a DST change happens at the first valid minute after it.
        while (zone.IsInvalidTime(candidate))
        {
            candidate = candidate.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(candidate, DateTimeKind.Unspecified), zone);
    }
}
