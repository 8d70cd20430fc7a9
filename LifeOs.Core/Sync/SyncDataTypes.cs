using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Providers.Oura;
using LifeOs.Core.Providers.Withings;

namespace LifeOs.Core.Sync;

/// <summary>One kind of data a provider serves, fetched in windows of <see cref="WindowDays"/> local days, with a cursor of its own.</summary>
public sealed record SyncDataType(
    string Name,
    string Label,
    int WindowDays,
    Func<SyncTarget, DateOnly, DateOnly, CancellationToken, Task<SyncBatch>> FetchAsync);

/// <summary>
/// What one window of one data type brought: how many provider records, the samples they map to, workouts (Oura's
/// workout collection, Withings' getworkouts), and the record ids whose samples this window replaces (the losing device of a Withings
/// night), which the sync deletes.
/// </summary>
public sealed record SyncBatch(int Fetched, List<SampleInput> Samples, List<WorkoutInput>? Workouts = null, IReadOnlyCollection<string>? Superseded = null)
{
    public static implicit operator SyncBatch((int Fetched, List<SampleInput> Samples) result) => new(result.Fetched, result.Samples);
}

/// <summary>The data types each provider syncs, in order.</summary>
public sealed class SyncDataTypes(OuraDataClient oura, WithingsDataClient withings)
{
    public IReadOnlyList<SyncDataType> For(ProviderKind provider) => provider == ProviderKind.Oura ? Oura() : Withings();

    public static string Label(string name) => name switch
    {
        "daily_sleep" => "Sleep score",
        "sleep" => "Sleep",
        "daily_readiness" => "Readiness",
        "daily_activity" => "Activity",
        "daily_spo2" => "Blood oxygen",
        "workout" or "workouts" => "Workouts",
        "heartrate" => "Heart rate",
        "measures" => "Body and blood pressure",
        "activity" => "Activity",
        "sleep_summary" => "Sleep",
        "deleted" => "Deleted at the provider",
        _ => name,
    };

    // Oura recommends 1–3-month windows for daily collections and at most 30 days for heart rate.
    private List<SyncDataType> Oura() =>
    [
        new("daily_sleep", Label("daily_sleep"), 90, async (t, from, to, ct) => Result(await oura.GetDailySleepAsync(t, from, to, ct), OuraMapping.DailySleep)),
        new("sleep", Label("sleep"), 90, async (t, from, to, ct) => Result(await oura.GetSleepAsync(t, from, to, ct), OuraMapping.Sleep)),
        new("daily_readiness", Label("daily_readiness"), 90, async (t, from, to, ct) => Result(await oura.GetDailyReadinessAsync(t, from, to, ct), OuraMapping.DailyReadiness)),
        new("daily_activity", Label("daily_activity"), 90, async (t, from, to, ct) => Result(await oura.GetDailyActivityAsync(t, from, to, ct), OuraMapping.DailyActivity)),
        new("daily_spo2", Label("daily_spo2"), 90, async (t, from, to, ct) => Result(await oura.GetDailySpo2Async(t, from, to, ct), OuraMapping.DailySpo2)),
        new("workout", Label("workout"), 90, async (t, from, to, ct) =>
        {
            var documents = await oura.GetWorkoutsAsync(t, from, to, ct);
            return new SyncBatch(documents.Count, [], OuraMapping.Workouts(documents).ToList());
        }),
        new("heartrate", Label("heartrate"), 30, async (t, from, to, ct) => Result(await oura.GetHeartRateAsync(t, from, to, ct), OuraMapping.HeartRate)),
    ];

    private List<SyncDataType> Withings() =>
    [
        new("measures", Label("measures"), 365, async (t, from, to, ct) =>
        {
            // Epochs for getmeas: a day of padding on each side covers every zone; the record id makes it idempotent.
            var start = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = new DateTimeOffset(to.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var (groups, zone) = await withings.GetMeasuresAsync(t, start, end, ct);
            return (groups.Count, WithingsMapping.Measures(groups, zone).ToList());
        }),
        new("activity", Label("activity"), 180, async (t, from, to, ct) => Result(await withings.GetActivityAsync(t, from, to, ct), WithingsMapping.Activity)),
        new("workouts", Label("workouts"), 180, async (t, from, to, ct) =>
        {
            var series = await withings.GetWorkoutsAsync(t, from, to, ct);
            return new SyncBatch(series.Count, [], WithingsMapping.Workouts(series).ToList());
        }),
        new("sleep_summary", Label("sleep_summary"), 180, async (t, from, to, ct) =>
        {
            var series = await withings.GetSleepSummaryAsync(t, from, to, ct);
            var (kept, superseded) = WithingsMapping.OneDevicePerNight(series);
            return new SyncBatch(series.Count, WithingsMapping.SleepSummaries(kept).ToList(), Superseded: superseded);
        }),
    ];

    private static (int, List<SampleInput>) Result<T>(List<T> documents, Func<IEnumerable<T>, IEnumerable<SampleInput>> map) =>
        (documents.Count, map(documents).ToList());
}
