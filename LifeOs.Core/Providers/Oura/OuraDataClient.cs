using System.Globalization;
using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Providers.Oura.Contracts;
using LifeOs.Core.Sync;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Providers.Oura;

/// <summary>
/// Oura's v2 data API (shared/providers/oura.md): GET /v2/usercollection/{collection}, following next_token to the
/// end. Date windows are padded a day on both sides (Oura's boundaries differ per collection and "today" is missed
/// with a date-only end); records are upserted by id, so padding never duplicates.
/// </summary>
public sealed class OuraDataClient(ProviderHttp http, IOptions<ProvidersOptions> providers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<OuraPersonalInfo> GetPersonalInfoAsync(SyncTarget target, CancellationToken cancellationToken) =>
        GetAsync<OuraPersonalInfo>(target, "/v2/usercollection/personal_info", cancellationToken);

    public Task<List<OuraDailySleep>> GetDailySleepAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraDailySleep>(target, "daily_sleep", from, to, cancellationToken);

    public Task<List<OuraSleep>> GetSleepAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraSleep>(target, "sleep", from, to, cancellationToken);

    public Task<List<OuraDailyReadiness>> GetDailyReadinessAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraDailyReadiness>(target, "daily_readiness", from, to, cancellationToken);

    public Task<List<OuraDailyActivity>> GetDailyActivityAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraDailyActivity>(target, "daily_activity", from, to, cancellationToken);

    public Task<List<OuraDailySpo2>> GetDailySpo2Async(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraDailySpo2>(target, "daily_spo2", from, to, cancellationToken);

    public Task<List<OuraWorkout>> GetWorkoutsAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        GetDailyAsync<OuraWorkout>(target, "workout", from, to, cancellationToken);

    /// <summary>Heart rate takes datetimes, not dates (P9). The window covers every zone's version of those local days.</summary>
    public Task<List<OuraHeartRate>> GetHeartRateAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var query = $"start_datetime={Uri.EscapeDataString(start.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))}"
            + $"&end_datetime={Uri.EscapeDataString(end.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))}";
        return GetPagesAsync<OuraHeartRate>(target, "/v2/usercollection/heartrate", query, cancellationToken);
    }

    private Task<List<T>> GetDailyAsync<T>(SyncTarget target, string collection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var query = $"start_date={from.AddDays(-1):yyyy-MM-dd}&end_date={to.AddDays(1):yyyy-MM-dd}";
        return GetPagesAsync<T>(target, $"/v2/usercollection/{collection}", query, cancellationToken);
    }

    /// <summary>Pages one window may take: a window is at most a month, and even minute heart rate fits in far fewer.</summary>
    public const int MaxPages = 500;

    private async Task<List<T>> GetPagesAsync<T>(SyncTarget target, string path, string query, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? next = null;
        var pages = 0;
        do
        {
            // A token seen before, or more pages than any window can hold, is the API going round in circles:
            // stop this data type with a clear note instead of fetching forever.
            if (next is not null && !seen.Add(next))
            {
                throw new ProviderDataException(ProviderFailureKind.Malformed, "Oura sent the same page of results twice; the rest of this window was not fetched.");
            }

            if (++pages > MaxPages)
            {
                throw new ProviderDataException(ProviderFailureKind.Malformed, $"Oura kept sending more pages (over {MaxPages}); the rest of this window was not fetched.");
            }

            var url = next is null ? $"{path}?{query}" : $"{path}?{query}&next_token={Uri.EscapeDataString(next)}";
            var page = await GetAsync<OuraPage<T>>(target, url, cancellationToken);
            all.AddRange(page.Data ?? []);
            next = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (next is not null);
        return all;
    }

    private async Task<T> GetAsync<T>(SyncTarget target, string pathAndQuery, CancellationToken cancellationToken)
    {
        var baseUrl = providers.Value.Oura.ApiBaseUrl.TrimEnd('/');
        var body = await http.SendAsync(target, () => new HttpRequestMessage(HttpMethod.Get, baseUrl + pathAndQuery), _ => BodyVerdict.Ok, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw new JsonException("empty answer");
        }
        catch (JsonException ex)
        {
            throw new ProviderDataException(ProviderFailureKind.Malformed, "Oura sent an answer LifeOs could not read.", inner: ex);
        }
    }
}

/// <summary>Oura documents → samples in the catalogue's canonical units, on Oura's own <c>day</c> (sleep: the wake-up day).</summary>
public static class OuraMapping
{
    private const SampleSource Source = SampleSource.Oura;

    public static IEnumerable<SampleInput> DailySleep(IEnumerable<OuraDailySleep> documents) =>
        from d in documents
        where d.Score is not null
        select new SampleInput(MetricCatalogue.SleepScore, Source, d.Id, d.Timestamp.UtcDateTime, d.Score!.Value, LocalDate: d.Day);

    /// <summary>One set of samples per sleep period; naps add to the day's totals; "deleted" and "rest" periods are not sleep.</summary>
    public static IEnumerable<SampleInput> Sleep(IEnumerable<OuraSleep> documents)
    {
        foreach (var d in documents)
        {
            if (d.Type is "deleted" or "rest")
            {
                continue;
            }

            var start = d.BedtimeStart.UtcDateTime;
            var end = d.BedtimeEnd.UtcDateTime;
            IEnumerable<(string Metric, double? Value)> values =
            [
                (MetricCatalogue.SleepDuration, d.TotalSleepDuration),
                (MetricCatalogue.SleepDeep, d.DeepSleepDuration),
                (MetricCatalogue.SleepLight, d.LightSleepDuration),
                (MetricCatalogue.SleepRem, d.RemSleepDuration),
                (MetricCatalogue.SleepAwake, d.AwakeTime),
                (MetricCatalogue.SleepEfficiency, d.Efficiency),
                (MetricCatalogue.SleepLatency, d.Latency),
                (MetricCatalogue.RestingHeartRate, d.LowestHeartRate),
                (MetricCatalogue.SleepHeartRate, d.AverageHeartRate),
                (MetricCatalogue.HrvRmssd, d.AverageHrv),
                (MetricCatalogue.RespiratoryRate, d.AverageBreath),
            ];
            foreach (var (metric, value) in values)
            {
                if (value is { } v)
                {
                    yield return new SampleInput(metric, Source, d.Id, start, v, end, d.Day);
                }
            }
        }
    }

    public static IEnumerable<SampleInput> DailyReadiness(IEnumerable<OuraDailyReadiness> documents)
    {
        foreach (var d in documents)
        {
            if (d.Score is { } score)
            {
                yield return new SampleInput(MetricCatalogue.ReadinessScore, Source, d.Id, d.Timestamp.UtcDateTime, score, LocalDate: d.Day);
            }

            if (d.TemperatureDeviation is { } deviation)
            {
                yield return new SampleInput(MetricCatalogue.BodyTemperatureDeviation, Source, d.Id, d.Timestamp.UtcDateTime, deviation, LocalDate: d.Day);
            }
        }
    }

    public static IEnumerable<SampleInput> DailyActivity(IEnumerable<OuraDailyActivity> documents)
    {
        foreach (var d in documents)
        {
            var at = d.Timestamp.UtcDateTime;
            IEnumerable<(string Metric, double? Value)> values =
            [
                (MetricCatalogue.Steps, d.Steps),
                // Metres: Oura's estimate of the day's movement as walking distance.
                (MetricCatalogue.Distance, d.EquivalentWalkingDistance),
                (MetricCatalogue.ActiveCalories, d.ActiveCalories),
                (MetricCatalogue.TotalCalories, d.TotalCalories),
                (MetricCatalogue.ActivityScore, d.Score),
            ];
            foreach (var (metric, value) in values)
            {
                if (value is { } v)
                {
                    yield return new SampleInput(metric, Source, d.Id, at, v, LocalDate: d.Day);
                }
            }
        }
    }

    /// <summary>Heart-rate rows have no id: (timestamp, source) identifies one (<see cref="SeriesRows.RecordId"/>). The local day comes from the user's zone.</summary>
    public static IEnumerable<SampleInput> HeartRate(IEnumerable<OuraHeartRate> rows) =>
        from r in rows
        select new SampleInput(MetricCatalogue.HeartRate, Source,
            SeriesRows.RecordId(r.Timestamp.UtcDateTime, r.Source ?? "unknown"), r.Timestamp.UtcDateTime, r.Bpm);

    /// <summary>The night's average SpO2 and its breathing disturbance index; either may be null (no reading that night).</summary>
    public static IEnumerable<SampleInput> DailySpo2(IEnumerable<OuraDailySpo2> documents)
    {
        foreach (var d in documents)
        {
            var at = d.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (d.Spo2Percentage?.Average is { } average)
            {
                yield return new SampleInput(MetricCatalogue.Spo2, Source, d.Id, at, average, LocalDate: d.Day);
            }

            if (d.BreathingDisturbanceIndex is { } index)
            {
                yield return new SampleInput(MetricCatalogue.BreathingDisturbanceIndex, Source, d.Id, at, index, LocalDate: d.Day);
            }
        }
    }

    /// <summary>Workouts on Oura's day; an unnamed activity is kept as "workout" rather than dropped.</summary>
    public static IEnumerable<WorkoutInput> Workouts(IEnumerable<OuraWorkout> documents) =>
        from d in documents
        select new WorkoutInput(Source, d.Id, string.IsNullOrWhiteSpace(d.Activity) ? "workout" : d.Activity.Trim(),
            d.StartDatetime.UtcDateTime, d.EndDatetime.UtcDateTime, d.Day, d.Calories, d.Distance);
}
