using LifeOs.Core.Audit;
using LifeOs.Core.Work;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Health.Import;

/// <summary>A confirmed CSV import too large to write during the request: the staged upload, written in chunks.</summary>
public sealed class CsvImportWork(CsvImportService imports, AuditLog audit, IOptions<WorkOptions> options) : IWorkHandler
{
    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        var uploadId = work.Payload ?? "";
        var outcome = await imports.ImportAsync(work.UserId, uploadId, cancellationToken, options.Value.ChunkRows, work.Cursor,
            async (done, total) =>
            {
                if (progress.Work.Total != total)
                {
                    await progress.SetTotalAsync(total, cancellationToken);
                }

                return await progress.ReportAsync(done, done, cancellationToken);
            });
        switch (outcome.Status)
        {
            case ImportStatus.NotFound:
                throw new WorkFailedException("The upload is no longer here (uploads are kept for a day). Upload the file again.");
            case ImportStatus.HasErrors:
                throw new WorkFailedException($"The file no longer passes its checks ({outcome.Preview?.ErrorCount:N0} errors). Upload it again to see them.");
        }

        var result = outcome.Result!;
        var added = result.Inserted + result.Updated;
        await audit.RecordAsync(AuditKind.MeasurementsImported, work.UserId, $"{outcome.FileName}: {added:N0} values", actorUserId: work.UserId);
        return $"{added:N0} values imported from {outcome.FileName}" + (result.Unchanged > 0 ? $"; {result.Unchanged:N0} were already here." : ".");
    }
}
