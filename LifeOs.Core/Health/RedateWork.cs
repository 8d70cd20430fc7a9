using LifeOs.Core.Work;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Health;

/// <summary>
/// Puts a user's samples on their days again after a time zone or day-start change, a chunk of samples per
/// transaction. Each chunk reads the settings anew, so a second change meanwhile is honoured (and the newer
/// work, queued by that change, supersedes this one).
/// </summary>
public sealed class RedateWork(HealthStore store, IOptions<WorkOptions> options) : IWorkHandler
{
    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        if (work.Total == 0)
        {
            await progress.SetTotalAsync(await store.CountUpToAsync(work.UserId, source: null, onlyDatedByLifeOs: true, int.MaxValue, cancellationToken), cancellationToken);
        }

        var (cursor, done, moved) = (work.Cursor, work.Done, 0L);
        while (true)
        {
            var chunk = await store.RedateChunkAsync(work.UserId, cursor, options.Value.ChunkRows, cancellationToken);
            (cursor, done, moved) = (chunk.LastId, done + chunk.Read, moved + chunk.Moved);
            if (!await progress.ReportAsync(cursor, done, cancellationToken) || chunk.Read < options.Value.ChunkRows)
            {
                break;
            }
        }

        return $"{done:N0} values checked, {moved:N0} moved to another day.";
    }
}
