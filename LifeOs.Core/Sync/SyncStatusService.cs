using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LifeOs.Core.Sync;

/// <summary>One run, shaped for the integrations page.</summary>
public sealed record SyncRunView(
    long Id,
    SyncTrigger Trigger,
    SyncRunStatus Status,
    DateTime QueuedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    int Progress,
    int SamplesWritten,
    IReadOnlyDictionary<string, SyncTypeResult> Counts,
    string? Error)
{
    public bool IsActive => Status is SyncRunStatus.Queued or SyncRunStatus.Running;
}

/// <summary>A connection's sync state: recent runs (newest first) and how far its history is fetched.</summary>
public sealed record SyncOverview(ProviderKind Provider, IReadOnlyList<SyncRunView> Runs, DateOnly? HistoryFrom, int? BackfillPercent)
{
    public SyncRunView? Active => Runs.FirstOrDefault(r => r.IsActive);
}

public sealed class SyncStatusService(LifeOsDbContext db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyDictionary<ProviderKind, SyncOverview>> GetAsync(string userId, int runsPerConnection = 8, CancellationToken cancellationToken = default)
    {
        var connections = await db.Set<Connection>().AsNoTracking().Where(c => c.UserId == userId)
            .Select(c => new { c.Id, c.Provider }).ToListAsync(cancellationToken);
        var clock = await db.FindClockAsync(userId, time, cancellationToken);
        var zone = clock?.Zone ?? TimeZoneInfo.Utc;
        var today = clock?.CalendarToday ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var result = new Dictionary<ProviderKind, SyncOverview>();
        foreach (var connection in connections)
        {
            var runs = await db.Set<SyncRun>().AsNoTracking()
                .Where(r => r.ConnectionId == connection.Id && r.UserId == userId)
                .OrderByDescending(r => r.QueuedAt).ThenByDescending(r => r.Id)
                .Take(runsPerConnection)
                .ToListAsync(cancellationToken);
            var cursors = await db.Set<SyncCursor>().AsNoTracking().Where(c => c.ConnectionId == connection.Id).ToListAsync(cancellationToken);
            // A data type the user did not permit never moves its cursor: it does not count towards how much history is
            // in (the last finished run says which were skipped), or a connection without, say, SpO2 would stay at 0%.
            var skipped = runs.FirstOrDefault(r => r.Status is SyncRunStatus.Succeeded or SyncRunStatus.Partial) is { } last
                ? Counts(last.CountsJson).Where(c => c.Value.Note is not null && !c.Value.Failed).Select(c => c.Key).ToHashSet()
                : [];
            if (cursors.Any(c => !skipped.Contains(c.DataType)))
            {
                cursors = cursors.Where(c => !skipped.Contains(c.DataType)).ToList();
            }

            DateOnly? historyFrom = cursors.Count == 0 ? null : cursors.Min(c => c.HistoryFrom);
            int? percent = null;
            if (cursors.Count > 0)
            {
                // The slowest data type decides how much history is in.
                percent = cursors.Min(c =>
                {
                    var span = Math.Max(1, today.DayNumber - c.HistoryFrom.DayNumber);
                    var doneDays = c.CompleteThrough is { } through ? through.DayNumber - c.HistoryFrom.DayNumber : 0;
                    return (int)Math.Clamp(100L * doneDays / span, 0, 100);
                });
            }

            result[connection.Provider] = new SyncOverview(connection.Provider, runs.Select(View).ToList(), historyFrom, percent);
        }

        return result;
    }

    private static SyncRunView View(SyncRun r) => new(r.Id, r.Trigger, r.Status, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Progress, r.SamplesWritten,
        Counts(r.CountsJson), r.Error);

    internal static Dictionary<string, SyncTypeResult> Counts(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>
/// The sync's share of the export: sync-history.json (every run still kept, 90 days, per connection) and
/// sync-progress.json (how far back and up to which day each kind of data is synced, per connection).
/// </summary>
internal sealed class SyncHistoryExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 55;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var runs = await (
            from r in db.Set<SyncRun>().AsNoTracking()
            join c in db.Set<Connection>().AsNoTracking() on r.ConnectionId equals c.Id
            where r.UserId == userId && c.UserId == userId
            orderby r.QueuedAt
            select new { c.Provider, r.Trigger, r.Status, r.QueuedAt, r.StartedAt, r.FinishedAt, r.SamplesWritten, r.Requests, r.CountsJson, r.Error })
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("sync-history.json", runs.Select(r => new
        {
            r.Provider,
            r.Trigger,
            r.Status,
            r.QueuedAt,
            r.StartedAt,
            r.FinishedAt,
            r.SamplesWritten,
            r.Requests,
            Counts = SyncStatusService.Counts(r.CountsJson),
            r.Error,
        }).ToList(), cancellationToken);

        var cursors = await (
            from s in db.Set<SyncCursor>().AsNoTracking()
            join c in db.Set<Connection>().AsNoTracking() on s.ConnectionId equals c.Id
            where c.UserId == userId
            orderby c.Provider, s.DataType
            select new { c.Provider, s.DataType, s.HistoryFrom, s.CompleteThrough, s.UpdatedAt })
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("sync-progress.json", cursors, cancellationToken);
    }
}

/// <summary>
/// At start-up, runs left queued or running by a previous process are marked stopped (the in-memory Quartz store
/// lost their triggers); the planner's first check queues them again and their cursors say where to continue.
/// One app instance per SQLite database is assumed here. On PostgreSQL nothing is done: other instances may be running
/// those runs, the schedule survives in the database, and Quartz recovers the runs of an instance that died.
/// </summary>
internal sealed class SyncStartup(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        if (db.Database.IsNpgsql())
        {
            return;
        }

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await db.Set<SyncRun>()
            .Where(r => r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, SyncService.InterruptedMessage), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
