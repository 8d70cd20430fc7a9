using LifeOs.Core.Data;

namespace LifeOs.Core.Health.AutoExport;

/// <summary>
/// What became of one metric of a push. Received, Skipped and Rejected count the app's entries; Imported (new or changed)
/// and Unchanged count stored samples: a blood pressure reading is two, a night of sleep up to six.
/// </summary>
public sealed record HaeMetricResult(string Name, IReadOnlyList<string> Metrics, int Received, int Imported, int Unchanged, int Skipped, int Rejected, IReadOnlyList<HaeReason> Reasons);

/// <summary>Workouts are counted and skipped: LifeOs has no workouts yet.</summary>
public sealed record HaeWorkoutsResult(int Received, int Skipped, string? Reason);

public sealed record HaeImportResult(IReadOnlyList<HaeMetricResult> Metrics, HaeWorkoutsResult Workouts)
{
    public int Imported => Metrics.Sum(m => m.Imported);

    public int Unchanged => Metrics.Sum(m => m.Unchanged);

    public int Rejected => Metrics.Sum(m => m.Rejected);

    public int Skipped => Metrics.Sum(m => m.Skipped) + Workouts.Skipped;
}

/// <summary>
/// Writes a Health Auto Export push (see <see cref="HealthAutoExportMapping"/>) through <see cref="HealthStore"/>, at most
/// <see cref="ChunkSize"/> samples per transaction, so a month of minute heart rate never holds SQLite's write lock for long.
/// </summary>
public sealed class HealthAutoExportService(LifeOsDbContext db, HealthStore store, TimeProvider time)
{
    public const int ChunkSize = 5_000;

    public async Task<HaeImportResult> ImportAsync(string userId, HaePayload payload, CancellationToken cancellationToken = default)
    {
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var results = new List<HaeMetricResult>();
        foreach (var metric in payload.Data?.Metrics ?? [])
        {
            if (metric is null)
            {
                continue;
            }

            var mapped = HealthAutoExportMapping.Map(metric, clock);
            int imported = 0, unchanged = 0, rejected = mapped.Rejected;
            foreach (var chunk in mapped.Samples.Chunk(ChunkSize))
            {
                var written = await store.UpsertSamplesAsync(userId, chunk, cancellationToken);
                (imported, unchanged, rejected) = (imported + written.Inserted + written.Updated, unchanged + written.Unchanged, rejected + written.Rejected);
            }

            results.Add(new HaeMetricResult(mapped.Name, mapped.Metrics, mapped.Received, imported, unchanged, mapped.Skipped, rejected, mapped.Reasons));
        }

        var workouts = payload.Data?.Workouts?.Count ?? 0;
        return new HaeImportResult(results,
            new HaeWorkoutsResult(workouts, workouts, workouts > 0 ? "LifeOs does not keep workouts yet; their steps, energy and heart rate arrive as metrics." : null));
    }
}
