using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace LifeOs.Core.Sync;

/// <summary>
/// Does one queued run of one connection: for each data type, from its cursor (less the overlap window) or from
/// the start of the backfill, window by window, oldest first. Each window's samples are committed through
/// <see cref="HealthStore"/> before the cursor moves, so a stopped run resumes where it stopped and a repeated
/// window changes nothing. A data type that fails is recorded and the others carry on. A targeted run (trigger
/// <see cref="SyncTrigger.Webhook"/>) fetches only the data types and windows its notifications name, removes the
/// documents they say were deleted, and leaves the cursors alone.
/// </summary>
public sealed class SyncService(
    LifeOsDbContext db,
    HealthStore store,
    WorkoutStore workouts,
    SyncDataTypes dataTypes,
    WebhookInbox inbox,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<SyncService> logger)
{
    public const string InterruptedMessage = "Stopped before it finished (the app was stopped or restarted); the next run continues where this one stopped.";

    public const string UnexpectedMessage = "LifeOs ran into an unexpected problem during this sync (details are in the server log). It will try again at the next sync.";

    /// <summary>Samples per write transaction: small enough that sign-ins and pages waiting to write barely notice.</summary>
    private const int BatchSize = 2_500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the queued run <paramref name="runId"/>. False when it was not queued (another worker took it, or it is finished).</summary>
    public Task<bool> RunAsync(long runId, CancellationToken cancellationToken = default) => RunAsync(runId, takeOver: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="runId"/> for an instance that died with it (Quartz recovery in a cluster): a run still
    /// Running is taken over and continues from its cursors, as a queued one starts. False when it already ended
    /// (the planner failed it as stale, and its connection gets a new run instead).
    /// </summary>
    public Task<bool> TakeOverAsync(long runId, CancellationToken cancellationToken = default) => RunAsync(runId, takeOver: true, cancellationToken);

    private async Task<bool> RunAsync(long runId, bool takeOver, CancellationToken cancellationToken)
    {
        var startedAt = Now();
        // Claim: only one worker moves a run from Queued to Running.
        var claimed = await db.Set<SyncRun>()
            .Where(r => r.Id == runId && (r.Status == SyncRunStatus.Queued || (takeOver && r.Status == SyncRunStatus.Running)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.StartedAt, startedAt).SetProperty(r => r.HeartbeatAt, startedAt), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var run = await db.Set<SyncRun>().AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        var connection = await db.Set<Connection>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == run.ConnectionId, cancellationToken);
        if (connection is null)
        {
            await FinishAsync(run.Id, SyncRunStatus.Failed, 0, 0, new(), "The connection no longer exists.");
            await inbox.CompleteRunAsync(run.Id, succeeded: false, "The connection no longer exists.", CancellationToken.None);
            return true;
        }

        var target = new SyncTarget(connection.Id, connection.UserId, connection.Provider);
        var results = new Dictionary<string, SyncTypeResult>(StringComparer.Ordinal);
        var written = 0;
        string? fatal = null;
        string? unexpected = null;
        try
        {
            var plan = run.Trigger == SyncTrigger.Webhook ? await inbox.PlanAsync(run.Id, cancellationToken) : null;
            written = await SyncTypesAsync(run, target, results, plan, cancellationToken);
        }
        catch (ConnectionUnavailableException ex)
        {
            fatal = ex.Message;
        }
        catch (ProviderAuthException ex)
        {
            fatal = ex.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            written = results.Values.Sum(r => r.Written);
            await FinishAsync(run.Id, SyncRunStatus.Failed, written, target.Requests, results, InterruptedMessage);
            logger.LogInformation("Sync run {RunId} of connection {ConnectionId} was stopped after {Written} samples", run.Id, connection.Id, written);
            throw;
        }
        catch (Exception ex)
        {
            // A bug or a database problem: the run still ends, as Failed, so this connection's next sync can start.
            logger.LogError(ex, "Sync run {RunId} of connection {ConnectionId} failed unexpectedly", run.Id, connection.Id);
            written = results.Values.Sum(r => r.Written);
            unexpected = UnexpectedMessage;
        }

        var failedTypes = results.Where(r => r.Value.Failed).ToList();
        var status = fatal is not null || unexpected is not null ? SyncRunStatus.Failed
            : failedTypes.Count == 0 ? SyncRunStatus.Succeeded
            : failedTypes.Count == results.Count ? SyncRunStatus.Failed
            : SyncRunStatus.Partial;
        var error = fatal ?? unexpected ?? (failedTypes.Count == 0 ? null
            : string.Join(" ", failedTypes.Select(f => $"{SyncDataTypes.Label(f.Key)}: {f.Value.Note}")));
        await FinishAsync(run.Id, status, written, target.Requests, results, error);

        var now = Now();
        if (status != SyncRunStatus.Failed)
        {
            await db.Set<Connection>().Where(c => c.Id == connection.Id && c.Status != ConnectionStatus.NeedsReconnect).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LastSyncedAt, now)
                .SetProperty(c => c.Status, ConnectionStatus.Connected)
                .SetProperty(c => c.StatusDetail, (string?)null), CancellationToken.None);
        }
        else if (fatal is null)
        {
            var detail = $"The last sync failed: {error}";
            await db.Set<Connection>().Where(c => c.Id == connection.Id && c.Status == ConnectionStatus.Connected).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConnectionStatus.Error)
                .SetProperty(c => c.StatusDetail, detail.Length > 500 ? detail[..500] : detail), CancellationToken.None);
        }

        logger.LogInformation("Sync run {RunId} of connection {ConnectionId} ({Provider}) ended {Status}: {Written} samples written, {Requests} requests",
            run.Id, connection.Id, connection.Provider, status, written, target.Requests);
        await AfterRunAsync(run, connection.Id, status, error);
        return true;
    }

    /// <summary>
    /// Closes the notifications a targeted run handled, then gives a run to those that arrived while this one was
    /// running. A failure here never fails the run: the webhook housekeeping job retries.
    /// </summary>
    private async Task AfterRunAsync(SyncRun run, long connectionId, SyncRunStatus status, string? error)
    {
        try
        {
            if (run.Trigger == SyncTrigger.Webhook)
            {
                await inbox.CompleteRunAsync(run.Id, status != SyncRunStatus.Failed, error, CancellationToken.None);
            }

            await inbox.DispatchAsync(connectionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Closing the notifications of sync run {RunId} failed; the webhook housekeeping will retry", run.Id);
        }
    }

    private async Task<int> SyncTypesAsync(SyncRun run, SyncTarget target, Dictionary<string, SyncTypeResult> results, WebhookInbox.TargetedPlan? targeted, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var today = (await db.ClockAsync(target.UserId, time, cancellationToken)).CalendarToday;

        var types = dataTypes.For(target.Provider);
        var cursors = await db.Set<SyncCursor>().Where(c => c.ConnectionId == target.ConnectionId).ToDictionaryAsync(c => c.DataType, cancellationToken);
        var plan = new List<(SyncDataType Type, SyncCursor? Cursor, List<(DateOnly From, DateOnly To)> Windows)>();
        foreach (var type in types)
        {
            if (targeted is not null)
            {
                // Only what the notifications named; the cursor is the nightly sync's and stays where it is.
                if (targeted.Windows.TryGetValue(type.Name, out var window))
                {
                    plan.Add((type, null, Windows(window.From, window.To, type.WindowDays)));
                }

                continue;
            }

            if (!cursors.TryGetValue(type.Name, out var cursor))
            {
                cursor = new SyncCursor { ConnectionId = target.ConnectionId, DataType = type.Name, HistoryFrom = today.AddDays(-o.BackfillDays), UpdatedAt = Now() };
                db.Add(cursor);
                cursors[type.Name] = cursor;
            }

            var from = cursor.CompleteThrough is { } through ? through.AddDays(-o.OverlapDays) : cursor.HistoryFrom;
            if (from < cursor.HistoryFrom)
            {
                from = cursor.HistoryFrom;
            }

            plan.Add((type, cursor, Windows(from, today, type.WindowDays)));
        }

        await db.SaveChangesAsync(cancellationToken);
        var total = Math.Max(1, plan.Sum(p => p.Windows.Count));
        var done = 0;
        var written = 0;
        foreach (var (type, cursor, windows) in plan)
        {
            int fetched = 0, typeWritten = 0, rejected = 0;
            try
            {
                foreach (var (from, to) in windows)
                {
                    var fetchedWindow = await type.FetchAsync(target, from, to, cancellationToken);
                    fetched += fetchedWindow.Fetched;
                    foreach (var batch in fetchedWindow.Samples.Chunk(BatchSize))
                    {
                        var result = await store.UpsertSamplesAsync(target.UserId, batch, cancellationToken);
                        typeWritten += result.Inserted + result.Updated;
                        rejected += result.Rejected;
                    }

                    if (fetchedWindow.Workouts is { Count: > 0 } workoutInputs)
                    {
                        var result = await workouts.UpsertAsync(target.UserId, workoutInputs, cancellationToken);
                        typeWritten += result.Inserted + result.Updated;
                        rejected += result.Rejected;
                    }

                    if (fetchedWindow.Superseded is { Count: > 0 } superseded)
                    {
                        // Another device won these nights: what an earlier run stored from the losing one goes.
                        typeWritten += await store.DeleteSamplesAsync(target.UserId, target.Provider.SampleSource(), superseded, cancellationToken);
                    }

                    // Committed: now the cursor may move (never backwards: overlap windows lie behind it).
                    if (cursor is not null && (cursor.CompleteThrough is null || to > cursor.CompleteThrough))
                    {
                        cursor.CompleteThrough = to;
                    }

                    if (cursor is not null)
                    {
                        cursor.UpdatedAt = Now();
                    }

                    await db.SaveChangesAsync(CancellationToken.None);
                    done++;
                    var progress = (int)(100L * done / total);
                    var soFar = written + typeWritten;
                    var heartbeat = Now();
                    await db.Set<SyncRun>().Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Progress, progress)
                        .SetProperty(r => r.HeartbeatAt, heartbeat)
                        .SetProperty(r => r.SamplesWritten, soFar)
                        .SetProperty(r => r.Requests, target.Requests), CancellationToken.None);
                }

                results[type.Name] = new SyncTypeResult(fetched, typeWritten, Rejected: rejected);
            }
            catch (ProviderDataException ex) when (ex.Kind == ProviderFailureKind.NotPermitted)
            {
                // A scope the user did not grant: skip this type, keep the connection.
                results[type.Name] = new SyncTypeResult(fetched, typeWritten, ex.Message, Rejected: rejected);
                done += windows.Count - windows.TakeWhile(w => w.To <= (cursor?.CompleteThrough ?? DateOnly.MinValue)).Count();
            }
            catch (Exception ex) when (ex is ProviderDataException or TimeoutRejectedException)
            {
                var message = ex is TimeoutRejectedException ? $"{target.Provider.DisplayName()} did not answer in time." : ex.Message;
                logger.LogWarning("Sync of {DataType} for connection {ConnectionId} failed: {Reason}", type.Name, target.ConnectionId, message);
                results[type.Name] = new SyncTypeResult(fetched, typeWritten, message, Failed: true, Rejected: rejected);
            }

            written += typeWritten;
        }

        if (targeted is { DeletedObjects.Count: > 0 })
        {
            // The provider deleted these documents: their samples go (the record id is the document's id), and their days are recomputed.
            var removed = await store.DeleteSamplesAsync(target.UserId, target.Provider.SampleSource(), targeted.DeletedObjects, cancellationToken)
                + await workouts.DeleteAsync(target.UserId, target.Provider.SampleSource(), targeted.DeletedObjects, cancellationToken);
            results["deleted"] = new SyncTypeResult(targeted.DeletedObjects.Count, removed);
            written += removed;
        }

        return written;
    }

    /// <summary>Consecutive windows of at most <paramref name="days"/> local days from <paramref name="from"/> through <paramref name="to"/>.</summary>
    public static List<(DateOnly From, DateOnly To)> Windows(DateOnly from, DateOnly to, int days)
    {
        var windows = new List<(DateOnly, DateOnly)>();
        for (var start = from; start <= to; start = start.AddDays(days))
        {
            var end = start.AddDays(days - 1);
            windows.Add((start, end > to ? to : end));
        }

        return windows;
    }

    private async Task FinishAsync(long runId, SyncRunStatus status, int written, int requests, Dictionary<string, SyncTypeResult> results, string? error)
    {
        var now = Now();
        var counts = JsonSerializer.Serialize(results, Json);
        var message = error is { Length: > 1000 } ? error[..1000] : error;
        await db.Set<SyncRun>().Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Progress, r => status == SyncRunStatus.Failed ? r.Progress : 100)
            .SetProperty(r => r.SamplesWritten, written)
            .SetProperty(r => r.Requests, requests)
            .SetProperty(r => r.CountsJson, counts)
            .SetProperty(r => r.Error, message), CancellationToken.None);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
