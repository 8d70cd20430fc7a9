using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Work;

/// <summary>A running work's report: how far it got (its resume point) and whether it should go on.</summary>
public sealed class WorkProgress(LifeOsDbContext db, BackgroundWork work, TimeProvider time)
{
    public BackgroundWork Work => work;

    public async Task SetTotalAsync(long total, CancellationToken cancellationToken)
    {
        work.Total = total;
        await db.Set<BackgroundWork>().Where(w => w.Id == work.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Total, total), cancellationToken);
    }

    /// <summary>Records a committed chunk. False when newer work has superseded this one: stop.</summary>
    public async Task<bool> ReportAsync(long cursor, long done, CancellationToken cancellationToken)
    {
        (work.Cursor, work.Done) = (cursor, done);
        var now = time.GetUtcNow().UtcDateTime;
        var updated = await db.Set<BackgroundWork>()
            .Where(w => w.Id == work.Id && w.Status == WorkStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Cursor, cursor).SetProperty(w => w.Done, done).SetProperty(w => w.HeartbeatAt, now), cancellationToken);
        return updated == 1;
    }
}
