using System.Globalization;
using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Health.Import;

/// <summary>One import as the import page lists it.</summary>
public sealed record ImportBatchView(long Id, string FileName, DateTime CreatedAt, int Rows, IReadOnlyList<string> MetricNames, ImportBatchStatus Status, DateTime? UndoneAt)
{
    public bool CanUndo => Status == ImportBatchStatus.Imported;
}

public enum UndoStatus
{
    NotFound,

    /// <summary>Already undone, or still being written or undone.</summary>
    NotNow,
    Undone,

    /// <summary>Too large to delete while the page waits: the background worker deletes it in chunks.</summary>
    Queued,
}

public sealed record UndoOutcome(UndoStatus Status, int Deleted = 0, long? WorkId = null, string? FileName = null);

/// <summary>
/// The CSV imports of a user: listed newest first, and undone as a whole (the samples the import inserted are
/// deleted and their days recomputed). Someone else's batch id answers exactly like a missing one.
/// </summary>
public sealed class ImportBatchService(LifeOsDbContext db, HealthStore store, WorkQueue work, IOptions<WorkOptions> workOptions, TimeProvider time)
{
    public const int ListedBatches = 50;

    public async Task<IReadOnlyList<ImportBatchView>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var batches = await db.ImportBatches.AsNoTracking().Where(b => b.UserId == userId)
            .OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).Take(ListedBatches)
            .ToListAsync(cancellationToken);
        return batches.Select(View).ToList();
    }

    public async Task<ImportBatchView?> GetAsync(string userId, long batchId, CancellationToken cancellationToken = default) =>
        await db.ImportBatches.AsNoTracking().Where(b => b.UserId == userId && b.Id == batchId).SingleOrDefaultAsync(cancellationToken) is { } batch
            ? View(batch)
            : null;

    /// <summary>
    /// Deletes what the import added: at once when it is small (one transaction), otherwise by background work in
    /// chunks, the batch marked as being undone meanwhile.
    /// </summary>
    public async Task<UndoOutcome> UndoAsync(string userId, long batchId, CancellationToken cancellationToken = default)
    {
        var batch = await db.ImportBatches.AsNoTracking().Where(b => b.UserId == userId && b.Id == batchId).SingleOrDefaultAsync(cancellationToken);
        if (batch is null)
        {
            return new UndoOutcome(UndoStatus.NotFound);
        }

        if (batch.Status != ImportBatchStatus.Imported)
        {
            return new UndoOutcome(UndoStatus.NotNow, FileName: batch.FileName);
        }

        var inline = workOptions.Value.InlineRows;
        var small = await db.SamplesOf(userId).Where(s => s.ImportBatchId == batchId).Take(inline + 1).CountAsync(cancellationToken) <= inline;
        if (small)
        {
            var deleted = await store.DeleteImportBatchChunkAsync(userId, batchId, inline + 1, cancellationToken);
            await MarkUndoneAsync(userId, batchId, cancellationToken);
            return new UndoOutcome(UndoStatus.Undone, deleted, FileName: batch.FileName);
        }

        long workId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.ImportBatches.Where(b => b.Id == batchId && b.UserId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, ImportBatchStatus.Undoing), cancellationToken);
            workId = await work.EnqueueAsync(userId, WorkKind.ImportUndo, batchId.ToString(CultureInfo.InvariantCulture), total: batch.Rows, cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        work.Wake(workId);
        return new UndoOutcome(UndoStatus.Queued, WorkId: workId, FileName: batch.FileName);
    }

    internal async Task MarkUndoneAsync(string userId, long batchId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.ImportBatches.Where(b => b.Id == batchId && b.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, ImportBatchStatus.Undone)
            .SetProperty(b => b.UndoneAt, now), cancellationToken);
    }

    private static ImportBatchView View(ImportBatch batch) =>
        new(batch.Id, batch.FileName, batch.CreatedAt, batch.Rows,
            batch.Metrics.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => MetricCatalogue.Find(c)?.DisplayName ?? c).ToList(),
            batch.Status, batch.UndoneAt);
}

/// <summary>Undoes a large import: its samples deleted a chunk per transaction, each chunk's days recomputed.</summary>
public sealed class ImportUndoWork(HealthStore store, ImportBatchService batches, IOptions<WorkOptions> options) : IWorkHandler
{
    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        var batchId = long.Parse(work.Payload ?? "0", CultureInfo.InvariantCulture);
        var chunkRows = options.Value.ChunkRows;
        var done = work.Done;
        while (true)
        {
            var deleted = await store.DeleteImportBatchChunkAsync(work.UserId, batchId, chunkRows, cancellationToken);
            done += deleted;
            if (!await progress.ReportAsync(done, done, cancellationToken))
            {
                return $"{done:N0} imported values deleted so far.";
            }

            if (deleted < chunkRows)
            {
                break;
            }
        }

        await batches.MarkUndoneAsync(work.UserId, batchId, cancellationToken);
        return $"Import undone: {done:N0} values deleted.";
    }
}

/// <summary>The user's imports in their export: what was imported when, and what was undone.</summary>
internal sealed class ImportBatchExporter(LifeOsDbContext db) : IUserDataExporter
{
    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var batches = await db.ImportBatches.AsNoTracking().Where(b => b.UserId == userId).OrderBy(b => b.Id).ToListAsync(cancellationToken);
        await writer.WriteCsvAsync("health/import-batches.csv",
            ["id", "file_name", "status", "created_utc", "finished_utc", "rows", "metrics", "undone_utc"],
            Rows(batches.Select(b => (IReadOnlyList<object?>)[b.Id, b.FileName, b.Status.ToString(), b.CreatedAt, b.FinishedAt, b.Rows, b.Metrics, b.UndoneAt])),
            cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<object?>> Rows(IEnumerable<IReadOnlyList<object?>> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }
}
