using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>A value to write, in the metric's canonical unit. LocalDate null: derived from the user's time zone and day start.</summary>
public sealed record SampleInput(
    string MetricCode,
    SampleSource Source,
    string SourceRecordId,
    DateTime StartUtc,
    double Value,
    DateTime? EndUtc = null,
    DateOnly? LocalDate = null);

public sealed record UpsertResult(int Inserted, int Updated, int Unchanged, int Rejected, int DaysRecomputed);

/// <summary>
/// The one write path every source uses. Samples are upserted by (user, metric, source, source record id),
/// so writing the same records again changes nothing; the daily values of exactly the days whose samples
/// changed are recomputed in the same transaction.
/// </summary>
public sealed class HealthStore(LifeOsDbContext db, TimeProvider time)
{
    public async Task<UpsertResult> UpsertSamplesAsync(string userId, IReadOnlyList<SampleInput> inputs, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TimeZoneId, u.DayStartHour })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"No user '{userId}'.");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(user.TimeZoneId);
        var now = time.GetUtcNow().UtcDateTime;

        int inserted = 0, updated = 0, unchanged = 0, rejected = 0;
        var touched = new HashSet<(string Metric, DateOnly Day)>();

        // Last write wins within one batch for a repeated record id.
        var valid = new List<SampleInput>();
        foreach (var input in inputs)
        {
            var metric = MetricCatalogue.Find(input.MetricCode);
            if (metric is null || !metric.IsValid(input.Value) || string.IsNullOrWhiteSpace(input.SourceRecordId))
            {
                rejected++;
                continue;
            }

            valid.Add(input);
        }

        var deduplicated = valid
            .GroupBy(i => (i.MetricCode, i.Source, i.SourceRecordId))
            .Select(g => g.Last())
            .ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var group in deduplicated.GroupBy(i => (i.MetricCode, i.Source)))
        {
            var ids = group.Select(i => i.SourceRecordId).ToList();
            var existing = await db.Set<Sample>()
                .Where(s => s.UserId == userId && s.MetricCode == group.Key.MetricCode && s.Source == group.Key.Source && ids.Contains(s.SourceRecordId))
                .ToDictionaryAsync(s => s.SourceRecordId, StringComparer.Ordinal, cancellationToken);

            foreach (var input in group)
            {
                var startUtc = DateTime.SpecifyKind(input.StartUtc, DateTimeKind.Utc);
                var endUtc = input.EndUtc is { } end ? DateTime.SpecifyKind(end, DateTimeKind.Utc) : (DateTime?)null;
                var day = input.LocalDate ?? LocalDay.Of(startUtc, zone, user.DayStartHour);
                if (!existing.TryGetValue(input.SourceRecordId, out var sample))
                {
                    db.Add(new Sample
                    {
                        UserId = userId,
                        MetricCode = input.MetricCode,
                        Source = input.Source,
                        SourceRecordId = input.SourceRecordId,
                        StartUtc = startUtc,
                        EndUtc = endUtc,
                        LocalDate = day,
                        Value = input.Value,
                        UpdatedAt = now,
                    });
                    inserted++;
                    touched.Add((input.MetricCode, day));
                }
                else if (sample.Value.Equals(input.Value) && sample.StartUtc == startUtc && sample.EndUtc == endUtc && sample.LocalDate == day)
                {
                    unchanged++;
                }
                else
                {
                    // The record may have moved to another day: both days change.
                    touched.Add((input.MetricCode, sample.LocalDate));
                    touched.Add((input.MetricCode, day));
                    sample.Value = input.Value;
                    sample.StartUtc = startUtc;
                    sample.EndUtc = endUtc;
                    sample.LocalDate = day;
                    sample.UpdatedAt = now;
                    updated++;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await RecomputeAsync(userId, touched, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new UpsertResult(inserted, updated, unchanged, rejected, touched.Count);
    }

    /// <summary>Removes samples (e.g. a deleted manual entry) and recomputes their days.</summary>
    public async Task<int> DeleteSamplesAsync(string userId, SampleSource source, IReadOnlyCollection<string> sourceRecordIds, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var doomed = await db.Set<Sample>()
            .Where(s => s.UserId == userId && s.Source == source && sourceRecordIds.Contains(s.SourceRecordId))
            .ToListAsync(cancellationToken);
        db.RemoveRange(doomed);
        await db.SaveChangesAsync(cancellationToken);
        await RecomputeAsync(userId, doomed.Select(s => (s.MetricCode, s.LocalDate)).ToHashSet(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return doomed.Count;
    }

    /// <summary>Removes every sample from one source (e.g. "also delete data" on disconnect) and recomputes the days they were on.</summary>
    public async Task<int> DeleteSourceAsync(string userId, SampleSource source, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bySource = db.Set<Sample>().Where(s => s.UserId == userId && s.Source == source);
        var days = await bySource.Select(s => new { s.MetricCode, s.LocalDate }).Distinct().ToListAsync(cancellationToken);
        var deleted = await bySource.ExecuteDeleteAsync(cancellationToken);
        await RecomputeAsync(userId, days.Select(d => (d.MetricCode, d.LocalDate)).ToHashSet(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return deleted;
    }

    public async Task<IReadOnlyList<DailyValue>> GetDailyValuesAsync(string userId, string metricCode, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        await db.Set<DailyValue>().AsNoTracking()
            .Where(d => d.UserId == userId && d.MetricCode == metricCode && d.LocalDate >= from && d.LocalDate <= to)
            .OrderBy(d => d.LocalDate)
            .ToListAsync(cancellationToken);

    private async Task RecomputeAsync(string userId, HashSet<(string Metric, DateOnly Day)> days, CancellationToken cancellationToken)
    {
        foreach (var byMetric in days.GroupBy(d => d.Metric))
        {
            var metric = MetricCatalogue.Get(byMetric.Key);
            var dates = byMetric.Select(d => d.Day).ToList();
            var samples = await db.Set<Sample>().AsNoTracking()
                .Where(s => s.UserId == userId && s.MetricCode == metric.Code && dates.Contains(s.LocalDate))
                .Select(s => new { s.LocalDate, s.Source, s.StartUtc, s.Value })
                .ToListAsync(cancellationToken);
            var current = await db.Set<DailyValue>()
                .Where(d => d.UserId == userId && d.MetricCode == metric.Code && dates.Contains(d.LocalDate))
                .ToDictionaryAsync(d => d.LocalDate, cancellationToken);
            var priority = SourcePriority.Default(metric);

            foreach (var date in dates)
            {
                var ofDay = samples.Where(s => s.LocalDate == date).ToList();
                current.TryGetValue(date, out var row);
                if (ofDay.Count == 0)
                {
                    if (row is not null)
                    {
                        db.Remove(row);
                    }

                    continue;
                }

                // A source missing from the priority list still counts, after all listed ones.
                var winner = priority.Where(source => ofDay.Exists(s => s.Source == source)).Append(ofDay[0].Source).First();
                var chosen = ofDay.Where(s => s.Source == winner).ToList();
                var value = metric.Aggregation switch
                {
                    Aggregation.Sum => chosen.Sum(s => s.Value),
                    Aggregation.Mean => chosen.Average(s => s.Value),
                    Aggregation.Min => chosen.Min(s => s.Value),
                    Aggregation.Max => chosen.Max(s => s.Value),
                    _ => chosen.MaxBy(s => s.StartUtc)!.Value,
                };
                if (row is null)
                {
                    db.Add(new DailyValue { UserId = userId, MetricCode = metric.Code, LocalDate = date, Value = value, Source = winner, SampleCount = chosen.Count });
                }
                else
                {
                    row.Value = value;
                    row.Source = winner;
                    row.SampleCount = chosen.Count;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
