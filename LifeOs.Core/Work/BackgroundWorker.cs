using System.Threading.Channels;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Work;

/// <summary>
/// Runs background work one item at a time (SQLite has one writer; two big jobs at once would only take turns),
/// in the order it was queued. At start-up it resumes whatever a stop or a crash interrupted. A handler's
/// unexpected exception fails that work with a message for people, and the next runs.
/// </summary>
public sealed class BackgroundWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<BackgroundWorker> logger) : BackgroundService
{
    public const string UnexpectedMessage = "LifeOs ran into an unexpected problem (details are in the server log).";

    private readonly Channel<long> wake = Channel.CreateUnbounded<long>();
    private readonly Lock gate = new();
    private int pending;
    private readonly TaskCompletionSource resumed = NewIdle(completed: false);
    private TaskCompletionSource idle = NewIdle(completed: true);

    public void Wake(long workId)
    {
        lock (gate)
        {
            if (pending++ == 0)
            {
                idle = NewIdle(completed: false);
            }
        }

        wake.Writer.TryWrite(workId);
    }

    /// <summary>Completes when the work interrupted by the last stop, and every work woken since, has finished (tests and benchmarks wait on it).</summary>
    public async Task WhenIdleAsync()
    {
        await resumed.Task;
        Task current;
        lock (gate)
        {
            current = idle.Task;
        }

        await current;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResumeInterruptedAsync(stoppingToken);
        }
        finally
        {
            resumed.TrySetResult();
        }

        await foreach (var id in wake.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(id, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the work stays Running and resumes from its cursor at the next start.
                return;
            }
            catch (Exception ex)
            {
                // Not even its failure could be recorded (the database refused): the worker carries on with the next,
                // and the next start resumes this one.
                logger.LogError(ex, "Background work {WorkId} could not be run or recorded", id);
            }
            finally
            {
                lock (gate)
                {
                    if (--pending == 0)
                    {
                        idle.TrySetResult();
                    }
                }
            }
        }
    }

    private async Task ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        List<long> unfinished;
        try
        {
            unfinished = await db.Set<BackgroundWork>().AsNoTracking()
                .Where(w => w.Status == WorkStatus.Queued || w.Status == WorkStatus.Running)
                .OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // Before the migrations ran (a tool host): nothing to resume.
            logger.LogDebug(ex, "Background work could not be read at start-up");
            return;
        }

        // Files an interrupted account deletion left behind (its rows are gone, or go with the work resumed below).
        // Housekeeping: a failure is logged and never stops the worker (an exception here would stop the app).
        try
        {
            var swept = await scope.ServiceProvider.GetRequiredService<Health.Import.CsvImportService>().SweepOrphansAsync(cancellationToken);
            if (swept > 0)
            {
                logger.LogInformation("Removed the staged uploads of {Count} deleted accounts", swept);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not remove the staged uploads of deleted accounts");
        }

        foreach (var id in unfinished)
        {
            logger.LogInformation("Resuming background work {WorkId}", id);
            Wake(id);
        }
    }

    private async Task RunAsync(long id, CancellationToken stoppingToken)
    {
        WriteLockMonitor.Origin = "background work";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // Claim it: only queued or interrupted work runs, once.
        var claimed = await db.Set<BackgroundWork>()
            .Where(w => w.Id == id && (w.Status == WorkStatus.Queued || w.Status == WorkStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WorkStatus.Running).SetProperty(w => w.StartedAt, w => w.StartedAt ?? now).SetProperty(w => w.HeartbeatAt, now), stoppingToken);
        if (claimed == 0)
        {
            return;
        }

        var work = await db.Set<BackgroundWork>().AsNoTracking().SingleAsync(w => w.Id == id, stoppingToken);
        WorkStatus status;
        string? result = null, error = null;
        try
        {
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IWorkHandler>(work.Kind);
            result = await handler.RunAsync(work, new WorkProgress(db, work, time), stoppingToken);
            status = await db.Set<BackgroundWork>().AsNoTracking().Where(w => w.Id == id).Select(w => w.Status).SingleAsync(stoppingToken) == WorkStatus.Superseded
                ? WorkStatus.Superseded
                : WorkStatus.Succeeded;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (WorkFailedException ex)
        {
            (status, error) = (WorkStatus.Failed, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Background work {WorkId} ({Kind}) failed unexpectedly", id, work.Kind);
            (status, error) = (WorkStatus.Failed, UnexpectedMessage);
        }

        db.ChangeTracker.Clear();
        var finished = time.GetUtcNow().UtcDateTime;
        await db.Set<BackgroundWork>().Where(w => w.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Status, status)
            .SetProperty(w => w.Result, result)
            .SetProperty(w => w.Error, error)
            .SetProperty(w => w.FinishedAt, finished), CancellationToken.None);
        logger.LogInformation("Background work {WorkId} ({Kind}) ended {Status}", id, work.Kind, status);
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
