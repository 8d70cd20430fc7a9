using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>
/// One workout a provider recorded (Oura's workout collection, Withings' workouts, an Apple Health export's): a session with a start and an end, not a daily
/// value, so it is a row of its own rather than samples. Upserted by (user, source, source record id), so a re-sync
/// of the same window changes nothing.
/// </summary>
public class Workout
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public SampleSource Source { get; set; }

    /// <summary>The provider's id of the workout.</summary>
    public required string SourceRecordId { get; set; }

    /// <summary>The activity in Oura's style ("cycling", "strength_training"): Oura's as sent, Apple's and Withings' mapped to it.</summary>
    public required string Activity { get; set; }

    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }

    /// <summary>The provider's day of the workout (the user's local calendar day).</summary>
    public DateOnly LocalDate { get; set; }

    public double? Calories { get; set; }

    /// <summary>Metres.</summary>
    public double? DistanceMeters { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A workout as a provider sends it, mapped to LifeOs' units.</summary>
public sealed record WorkoutInput(SampleSource Source, string SourceRecordId, string Activity, DateTime StartUtc, DateTime EndUtc, DateOnly LocalDate, double? Calories, double? DistanceMeters);

/// <summary>A workout shaped for a page.</summary>
public sealed record WorkoutView(long Id, SampleSource Source, string Activity, DateTime StartUtc, DateTime EndUtc, DateOnly LocalDate, double? Calories, double? DistanceMeters)
{
    public TimeSpan Duration => EndUtc - StartUtc;
}

/// <summary>A user's workouts for the workouts page: local start times, in the user's units.</summary>
public sealed record WorkoutList(Accounts.UnitSystem Units, string TimeZoneId, IReadOnlyList<WorkoutRow> Workouts);

/// <summary>One workout as the page shows it: local start, duration, distance in km or mi.</summary>
public sealed record WorkoutRow(long Id, SampleSource Source, string Activity, DateTime LocalStart, TimeSpan Duration, double? Calories, double? Distance, string DistanceUnit);

/// <summary>Counts of one upsert of workouts; rejected ones had no activity or ended before they started.</summary>
public sealed record WorkoutUpsertResult(int Inserted, int Updated, int Unchanged, int Rejected);

/// <summary>Writes and reads workouts, always for one owner.</summary>
public sealed class WorkoutStore(LifeOsDbContext db, TimeProvider time)
{
    /// <summary>Longest workout kept: a day and a half; anything longer is a device left running, not a session.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(36);

    public async Task<WorkoutUpsertResult> UpsertAsync(string userId, IReadOnlyList<WorkoutInput> inputs, CancellationToken cancellationToken = default)
    {
        int inserted = 0, updated = 0, unchanged = 0, rejected = 0;
        var valid = new Dictionary<(SampleSource, string), WorkoutInput>();
        foreach (var input in inputs)
        {
            var duration = input.EndUtc - input.StartUtc;
            if (string.IsNullOrWhiteSpace(input.SourceRecordId) || duration < TimeSpan.Zero || duration > MaxDuration
                || input.Calories is < 0 or > 20_000 || input.DistanceMeters is < 0 or > 500_000)
            {
                rejected++;
                continue;
            }

            valid[(input.Source, input.SourceRecordId)] = input;
        }

        var ids = valid.Keys.Select(k => k.Item2).ToList();
        var existing = await db.Set<Workout>().Where(w => w.UserId == userId && ids.Contains(w.SourceRecordId)).ToListAsync(cancellationToken);
        var byKey = existing.ToDictionary(w => (w.Source, w.SourceRecordId));
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (key, input) in valid)
        {
            var activity = input.Activity.Length > 64 ? input.Activity[..64] : input.Activity;
            if (!byKey.TryGetValue(key, out var row))
            {
                db.Add(new Workout
                {
                    UserId = userId, Source = input.Source, SourceRecordId = input.SourceRecordId, Activity = activity, StartUtc = input.StartUtc,
                    EndUtc = input.EndUtc, LocalDate = input.LocalDate, Calories = input.Calories, DistanceMeters = input.DistanceMeters, UpdatedAt = now,
                });
                inserted++;
            }
            else if (row.Activity != activity || row.StartUtc != input.StartUtc || row.EndUtc != input.EndUtc || row.LocalDate != input.LocalDate
                || row.Calories != input.Calories || row.DistanceMeters != input.DistanceMeters)
            {
                (row.Activity, row.StartUtc, row.EndUtc, row.LocalDate, row.Calories, row.DistanceMeters, row.UpdatedAt) =
                    (activity, input.StartUtc, input.EndUtc, input.LocalDate, input.Calories, input.DistanceMeters, now);
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        // No ChangeTracker.Clear(): the sync shares this DbContext and still tracks its cursors.
        await db.SaveChangesAsync(cancellationToken);
        return new WorkoutUpsertResult(inserted, updated, unchanged, rejected);
    }

    /// <summary>The owner's workouts, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<WorkoutView>> ListAsync(string userId, int limit = 100, CancellationToken cancellationToken = default) =>
        await db.Set<Workout>().AsNoTracking().Where(w => w.UserId == userId)
            .OrderByDescending(w => w.StartUtc).ThenByDescending(w => w.Id).Take(limit)
            .Select(w => new WorkoutView(w.Id, w.Source, w.Activity, w.StartUtc, w.EndUtc, w.LocalDate, w.Calories, w.DistanceMeters))
            .ToListAsync(cancellationToken);

    /// <summary>The owner's newest workouts for the page; null when the user does not exist.</summary>
    public async Task<WorkoutList?> ListForPageAsync(string userId, int limit = 200, CancellationToken cancellationToken = default)
    {
        if (await db.FindClockAsync(userId, time, cancellationToken) is not { } clock)
        {
            return null;
        }

        var distance = MetricCatalogue.Get(MetricCatalogue.Distance).DisplayFor(clock.UnitSystem);
        var rows = (await ListAsync(userId, limit, cancellationToken))
            .Select(w => new WorkoutRow(w.Id, w.Source, w.Activity, clock.ToLocal(w.StartUtc), w.Duration, w.Calories,
                w.DistanceMeters is { } m ? distance.FromCanonical(m) : null, distance.Label))
            .ToList();
        return new WorkoutList(clock.UnitSystem, clock.Zone.Id, rows);
    }

    /// <summary>The source's workouts the provider deleted (by its ids).</summary>
    public Task<int> DeleteAsync(string userId, SampleSource source, IReadOnlyCollection<string> sourceRecordIds, CancellationToken cancellationToken = default) =>
        db.Set<Workout>().Where(w => w.UserId == userId && w.Source == source && sourceRecordIds.Contains(w.SourceRecordId)).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>Every workout of the user, as CSV.</summary>
internal sealed class WorkoutExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 1;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Workout>().AsNoTracking().Where(w => w.UserId == userId).OrderBy(w => w.StartUtc).ThenBy(w => w.Id).ToListAsync(cancellationToken);
        await writer.WriteCsvAsync("health/workouts.csv",
            ["source", "source_record_id", "activity", "start_utc", "end_utc", "local_date", "calories_kcal", "distance_m"],
            Rows(rows), cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<object?>> Rows(List<Workout> rows)
    {
        foreach (var w in rows)
        {
            yield return [w.Source.ToString(), w.SourceRecordId, w.Activity, w.StartUtc, w.EndUtc, w.LocalDate, w.Calories, w.DistanceMeters];
        }

        await Task.CompletedTask;
    }
}
