using System.Globalization;
using LifeOs.Core.Health;
using LifeOs.Core.Work;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Connections;

/// <summary>
/// Deletes what a disconnected source wrote, a chunk per transaction, recomputing each chunk's days. Only what it
/// wrote before the disconnect: data synced after connecting again stays.
/// </summary>
public sealed class SourceDeletionWork(HealthStore store, IOptions<WorkOptions> options) : IWorkHandler
{
    public static string Payload(SampleSource source, DateTime writtenBy) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}|{writtenBy.Ticks}");

    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        var parts = (work.Payload ?? "").Split('|');
        var source = Enum.Parse<SampleSource>(parts[0]);
        var writtenBy = new DateTime(long.Parse(parts[1], CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var chunkRows = options.Value.ChunkRows;
        if (work.Total == 0)
        {
            await progress.SetTotalAsync(work.Done + await store.CountUpToAsync(work.UserId, source, onlyDatedByLifeOs: false, int.MaxValue, cancellationToken), cancellationToken);
        }

        var done = work.Done;
        while (true)
        {
            var deleted = await store.DeleteSourceChunkAsync(work.UserId, source, writtenBy, chunkRows, cancellationToken);
            done += deleted;
            if (!await progress.ReportAsync(done, done, cancellationToken) || deleted < chunkRows)
            {
                break;
            }
        }

        return $"{done:N0} values from {source} deleted.";
    }
}
