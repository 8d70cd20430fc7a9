using LifeOs.Core.Audit;
using LifeOs.Core.Data;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Health.AppleHealth;

/// <summary>
/// Runs an Apple Health import in the background worker. Resumes after a stop or a crash from the state saved after the
/// last committed chunk (<see cref="AppleImportState.Cursor"/>): the file is read again from the start, items before the
/// cursor only feed the hourly totals and nights, and writing goes on after it. The upload is deleted once the import
/// ends either way; its state file (the summary) stays.
/// </summary>
public sealed class AppleHealthImportWork(
    AppleHealthImportService imports, AppleHealthImporter importer, LifeOsDbContext db, AuditLog audit, TimeProvider time, IOptions<WorkOptions> options) : IWorkHandler
{
    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        if (imports.PathsFor(work.UserId, work.Payload) is not { } paths || !File.Exists(paths.Upload) || AppleImportState.Load(paths.State) is not { } state)
        {
            throw new WorkFailedException("The upload is no longer here. Upload the export again.");
        }

        state.StartedAt ??= time.GetUtcNow().UtcDateTime;
        var clock = await db.ClockAsync(work.UserId, time, cancellationToken);
        var synced = (await db.Connections.AsNoTracking().Where(c => c.UserId == work.UserId).Select(c => c.Provider).ToListAsync(cancellationToken)).ToHashSet();
        if (progress.Work.Total != state.FileBytes)
        {
            await progress.SetTotalAsync(new FileInfo(paths.Upload).Length, cancellationToken);
        }

        bool finished;
        try
        {
            finished = await importer.RunAsync(work.UserId, paths.Upload, state, clock, synced, options.Value.ChunkRows,
                s => s.Save(paths.State),
                s => progress.ReportAsync(s.Cursor, s.BytesRead, cancellationToken), cancellationToken);
        }
        catch (AppleExportException ex)
        {
            File.Delete(paths.Upload);
            throw new WorkFailedException(ex.Message);
        }

        File.Delete(paths.Upload);
        if (!finished)
        {
            return "Stopped.";
        }

        await progress.ReportAsync(state.Cursor, state.FileBytes, cancellationToken);
        var rejected = state.Metrics.Values.Sum(m => m.RejectedTotal);
        var duplicates = state.Metrics.Values.Sum(m => m.Duplicates);
        await audit.RecordAsync(AuditKind.MeasurementsImported, work.UserId, $"{state.FileName} (Apple Health): {state.Written:N0} records", actorUserId: work.UserId);
        return $"{state.Written:N0} records imported from {state.FileName}; {duplicates:N0} already here; {rejected:N0} skipped (see the summary).";
    }
}
