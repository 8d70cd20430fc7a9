using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Work;

/// <summary>Background work as its owner sees it: how far it got, and how it ended.</summary>
public sealed record WorkView(long Id, WorkKind Kind, WorkStatus Status, long Done, long Total, string? Result, string? Error, DateTime CreatedAt, DateTime? FinishedAt)
{
    public bool Finished => Status is WorkStatus.Succeeded or WorkStatus.Failed or WorkStatus.Superseded;

    /// <summary>0–100, or null before the work knows its size.</summary>
    public int? Percent => Total > 0 ? (int)Math.Clamp(100 * Done / Total, 0, 100) : null;
}

/// <summary>Queues background work and reads its progress; every read is the owner's own.</summary>
public sealed class WorkQueue(LifeOsDbContext db, BackgroundWorker worker, TimeProvider time)
{
    /// <summary>Adds the work (in the caller's transaction, if one is open) and wakes the worker once it is committed.</summary>
    public async Task<long> EnqueueAsync(string userId, WorkKind kind, string? payload = null, long total = 0, CancellationToken cancellationToken = default)
    {
        var work = new BackgroundWork
        {
            UserId = userId,
            Kind = kind,
            Status = WorkStatus.Queued,
            Payload = payload,
            Total = total,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(work);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(work).State = EntityState.Detached;
        if (db.Database.CurrentTransaction is null)
        {
            worker.Wake(work.Id);
        }

        return work.Id;
    }

    /// <summary>Wakes the worker for work queued inside a transaction, after the commit.</summary>
    public void Wake(long workId) => worker.Wake(workId);

    /// <returns>Null when there is no such work of this user's.</returns>
    public async Task<WorkView?> GetAsync(string userId, long workId, CancellationToken cancellationToken = default) =>
        await db.Set<BackgroundWork>().AsNoTracking()
            .Where(w => w.Id == workId && w.UserId == userId)
            .Select(w => new WorkView(w.Id, w.Kind, w.Status, w.Done, w.Total, w.Result, w.Error, w.CreatedAt, w.FinishedAt))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The user's newest work of a kind that has not finished, if any (a page opened while it runs shows it).</summary>
    public async Task<WorkView?> ActiveAsync(string userId, WorkKind kind, CancellationToken cancellationToken = default) =>
        await db.Set<BackgroundWork>().AsNoTracking()
            .Where(w => w.UserId == userId && w.Kind == kind && (w.Status == WorkStatus.Queued || w.Status == WorkStatus.Running))
            .OrderByDescending(w => w.Id)
            .Select(w => new WorkView(w.Id, w.Kind, w.Status, w.Done, w.Total, w.Result, w.Error, w.CreatedAt, w.FinishedAt))
            .FirstOrDefaultAsync(cancellationToken);
}
