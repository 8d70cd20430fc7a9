using System.Globalization;
using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Providers.Withings.Contracts;
using LifeOs.Core.Sync;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Providers.Withings;

/// <summary>
/// Withings' data services (shared/providers/withings.md): RPC-style form posts answered HTTP 200 with a
/// {status, body} envelope, paged with more/offset until more is false. Windows are sent as dates or epochs,
/// never together with lastupdate (mixing them returns nothing).
/// </summary>
public sealed class WithingsDataClient(ProviderHttp http, IOptions<ProvidersOptions> providers)
{
    /// <summary>getmeas types LifeOs stores (the body and blood-pressure metrics of the catalogue).</summary>
    public static readonly IReadOnlyDictionary<int, string> MeasureTypes = new Dictionary<int, string>
    {
        [1] = MetricCatalogue.Weight,
        [5] = MetricCatalogue.FatFreeMass,
        [6] = MetricCatalogue.FatRatio,
        [8] = MetricCatalogue.FatMass,
        [76] = MetricCatalogue.MuscleMass,
        [77] = MetricCatalogue.Hydration,
        [88] = MetricCatalogue.BoneMass,
        [9] = MetricCatalogue.Diastolic,
        [10] = MetricCatalogue.Systolic,
        // The pulse a blood pressure monitor or a scale takes with its reading: a spot heart rate.
        [11] = MetricCatalogue.HeartRate,
        [54] = MetricCatalogue.Spo2,
        [4] = MetricCatalogue.Height,
        // 12 is a thermometer's reading, 71 a body temperature: both the body's absolute temperature.
        [12] = MetricCatalogue.BodyTemperature,
        [71] = MetricCatalogue.BodyTemperature,
        [73] = MetricCatalogue.SkinTemperature,
        [91] = MetricCatalogue.PulseWaveVelocity,
        [130] = MetricCatalogue.AfibEcg,
        [139] = MetricCatalogue.AfibPpg,
        [155] = MetricCatalogue.VascularAge,
        [168] = MetricCatalogue.ExtracellularWater,
        [169] = MetricCatalogue.IntracellularWater,
        [170] = MetricCatalogue.VisceralFat,
        [226] = MetricCatalogue.BasalMetabolicRate,
    };

    /// <summary>
    /// Segmental body composition (Body Scan): types 174 (fat mass) and 175 (muscle mass) come once per body
    /// segment, told apart by <c>position</c> (withings.md §4.1). A position LifeOs does not know is skipped.
    /// </summary>
    public static readonly IReadOnlyDictionary<(int Type, int Position), string> SegmentTypes = new Dictionary<(int, int), string>
    {
        [(174, 2)] = MetricCatalogue.FatMassRightArm,
        [(174, 3)] = MetricCatalogue.FatMassLeftArm,
        [(174, 10)] = MetricCatalogue.FatMassLeftLeg,
        [(174, 11)] = MetricCatalogue.FatMassRightLeg,
        [(174, 12)] = MetricCatalogue.FatMassTorso,
        [(175, 2)] = MetricCatalogue.MuscleMassRightArm,
        [(175, 3)] = MetricCatalogue.MuscleMassLeftArm,
        [(175, 10)] = MetricCatalogue.MuscleMassLeftLeg,
        [(175, 11)] = MetricCatalogue.MuscleMassRightLeg,
        [(175, 12)] = MetricCatalogue.MuscleMassTorso,
    };

    /// <summary>Every meastype asked of getmeas.</summary>
    public static string RequestedTypes => string.Join(',', MeasureTypes.Keys.Concat(SegmentTypes.Keys.Select(k => k.Type)).Distinct());

    /// <summary>The metric a measure of <paramref name="type"/> at <paramref name="position"/> is stored as; null when LifeOs does not keep it.</summary>
    public static string? MetricFor(int type, int? position) =>
        SegmentTypes.Keys.Any(k => k.Type == type)
            ? position is { } p ? SegmentTypes.GetValueOrDefault((type, p)) : null
            : MeasureTypes.GetValueOrDefault(type);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(List<WithingsMeasureGroup> Groups, string? TimeZone)> GetMeasuresAsync(SyncTarget target, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var groups = new List<WithingsMeasureGroup>();
        string? zone = null;
        var offset = 0;
        while (true)
        {
            var body = await PostAsync<WithingsMeasureBody>(target, "/measure", new()
            {
                ["action"] = "getmeas",
                ["meastypes"] = RequestedTypes,
                ["category"] = "1",
                ["startdate"] = from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["enddate"] = to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            groups.AddRange(body.MeasureGroups ?? []);
            zone ??= body.Timezone;
            if (!WithingsJson.IsTrue(body.More) || body.Offset <= offset)
            {
                return (groups, zone);
            }

            offset = body.Offset;
        }
    }

    public Task<List<WithingsActivity>> GetActivityAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        PagesAsync<WithingsActivityBody, WithingsActivity>(target, "/v2/measure", "getactivity", from, to,
            "steps,distance,calories,totalcalories", b => (b.Activities, b.More, b.Offset), cancellationToken);

    public Task<List<WithingsWorkout>> GetWorkoutsAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        PagesAsync<WithingsWorkoutBody, WithingsWorkout>(target, "/v2/measure", "getworkouts", from, to,
            "calories,distance", b => (b.Series, b.More, b.Offset), cancellationToken);

    public Task<List<WithingsSleepSummary>> GetSleepSummaryAsync(SyncTarget target, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        PagesAsync<WithingsSleepBody, WithingsSleepSummary>(target, "/v2/sleep", "getsummary", from, to,
            "total_sleep_time,lightsleepduration,deepsleepduration,remsleepduration,wakeupduration,sleep_efficiency,sleep_latency,hr_average,hr_min,rr_average,sleep_score",
            b => (b.Series, b.More, b.Offset), cancellationToken);

    private async Task<List<TItem>> PagesAsync<TBody, TItem>(SyncTarget target, string path, string action, DateOnly from, DateOnly to, string fields,
        Func<TBody, (List<TItem>? Items, JsonElement More, int Offset)> read, CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        var offset = 0;
        while (true)
        {
            var body = await PostAsync<TBody>(target, path, new()
            {
                ["action"] = action,
                ["startdateymd"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["enddateymd"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["data_fields"] = fields,
                ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            var (items, more, next) = read(body);
            all.AddRange(items ?? []);
            if (!WithingsJson.IsTrue(more) || next <= offset)
            {
                return all;
            }

            offset = next;
        }
    }

    private async Task<T> PostAsync<T>(SyncTarget target, string path, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var url = providers.Value.Withings.ApiBaseUrl.TrimEnd('/') + path;
        var body = await http.SendAsync(target, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) },
            CheckEnvelope, cancellationToken);
        try
        {
            var envelope = JsonSerializer.Deserialize<WithingsEnvelope<T>>(body, Json);
            return envelope is { Body: { } value } ? value : throw new JsonException("no body");
        }
        catch (JsonException ex)
        {
            throw new ProviderDataException(ProviderFailureKind.Malformed, "Withings sent an answer LifeOs could not read.", inner: ex);
        }
    }

    /// <summary>Withings answers HTTP 200 for errors too; the envelope's status decides (withings.md §5).</summary>
    internal static BodyVerdict CheckEnvelope(string body)
    {
        int status;
        JsonElement envelopeBody = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            status = document.RootElement.GetProperty("status").GetInt32();
            if (document.RootElement.TryGetProperty("body", out var b))
            {
                envelopeBody = b.Clone();
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ProviderDataException(ProviderFailureKind.Malformed, "Withings sent an answer LifeOs could not read.", inner: ex);
        }

        switch (status)
        {
            case 0:
                return BodyVerdict.Ok;
            case 401 or 100 or 101 or 102 or 200:
                return BodyVerdict.Unauthorized;
            case 214 or 277 or 2553 or 2555:
                throw new ProviderDataException(ProviderFailureKind.NotPermitted, "Permission not granted; connect again and allow it to sync this data.");
            case 601:
                TimeSpan? wait = envelopeBody.ValueKind == JsonValueKind.Object && envelopeBody.TryGetProperty("wait_seconds", out var w) && w.TryGetInt32(out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
                throw new ProviderDataException(ProviderFailureKind.RateLimited, "Withings asked LifeOs to slow down.", wait);
            case 2554 or (>= 201 and <= 353 and not 215 and not 253) or (>= 380 and <= 382) or 400 or (>= 501 and <= 511) or 523 or 532 or (>= 3017 and <= 3019):
                throw new ProviderDataException(ProviderFailureKind.Rejected, $"Withings refused the request (status {status}).");
            default:
                throw new ProviderDataException(ProviderFailureKind.Transient, $"Withings answered status {status}.");
        }
    }
}

/// <summary>Withings records → samples in canonical units, on the local day of the record's own time zone.</summary>
public static class WithingsMapping
{
    private const SampleSource Source = SampleSource.Withings;

    /// <summary>Attributions kept: 0/8 the device's owner, 2 manual, 5 BPM best-of-series, 7 user-confirmed. 1 (ambiguous: maybe another household member), 4 and unknown values are dropped.</summary>
    public static readonly IReadOnlySet<int> TrustedAttributions = new HashSet<int> { 0, 2, 5, 7, 8 };

    /// <summary>Real value = value × 10^unit; duplicate groups (same grpid, type, position) collapse to one sample.</summary>
    public static IEnumerable<SampleInput> Measures(IEnumerable<WithingsMeasureGroup> groups, string? timeZone)
    {
        var zone = FindZone(timeZone);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.Category != 1 || !TrustedAttributions.Contains(group.Attrib))
            {
                continue;
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(group.Date).UtcDateTime;
            DateOnly? day = zone is null ? null : DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, zone));
            foreach (var measure in group.Measures ?? [])
            {
                if (WithingsDataClient.MetricFor(measure.Type, measure.Position) is not { } metric)
                {
                    continue;
                }

                var id = measure.Position is { } position
                    ? $"{group.GroupId}:{measure.Type}:{position}"
                    : $"{group.GroupId}:{measure.Type}";
                if (!seen.Add(id))
                {
                    continue;
                }

                var value = (double)(measure.Value * (decimal)Math.Pow(10, measure.Unit));
                yield return new SampleInput(metric, Source, id, at, value, LocalDate: day);
            }
        }
    }

    /// <summary>Withings' brand for activity a phone app passes through (Google Fit, Apple Health); its rows have no device.</summary>
    public const int PhoneBrand = 18;

    /// <summary>
    /// One row per device and local date. A phone's rows (brand 18) are kept as their own source, below the devices in
    /// the default priority: for someone without a tracker they are the only steps, and beside a tracker they never add up.
    /// </summary>
    public static IEnumerable<SampleInput> Activity(IEnumerable<WithingsActivity> rows)
    {
        foreach (var row in rows)
        {
            var source = row.Brand == PhoneBrand ? SampleSource.WithingsPhone : Source;
            var id = $"{row.Date:yyyy-MM-dd}:{row.DeviceId ?? "account"}";
            var zone = FindZone(row.Timezone);
            var start = zone is null
                ? row.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                : TimeZoneInfo.ConvertTimeToUtc(row.Date.ToDateTime(TimeOnly.MinValue), zone);
            IEnumerable<(string Metric, double? Value)> values =
            [
                (MetricCatalogue.Steps, row.Steps),
                (MetricCatalogue.Distance, row.Distance),
                (MetricCatalogue.ActiveCalories, row.Calories),
                (MetricCatalogue.TotalCalories, row.TotalCalories),
            ];
            foreach (var (metric, value) in values)
            {
                if (value is { } v)
                {
                    yield return new SampleInput(metric, source, id, start, v, LocalDate: row.Date);
                }
            }
        }
    }

    /// <summary>
    /// Workout categories (withings.md §4.6, aiowithings' <c>WorkoutCategory</c>) as the activity names Oura's workouts
    /// use, so the workouts page names both alike; a category not listed is a plain "workout".
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> WorkoutActivities = new Dictionary<int, string>
    {
        [1] = "walking",
        [2] = "running",
        [6] = "cycling",
        [7] = "swimming",
        [16] = "strength_training",
        [28] = "yoga",
        [36] = "workout",
        [307] = "indoor_running",
    };

    /// <summary>Workouts as the Workout table keeps them: Withings' series id, kcal and metres as sent, the day Withings gives (the user's local day).</summary>
    public static IEnumerable<WorkoutInput> Workouts(IEnumerable<WithingsWorkout> series) =>
        from w in series
        select new WorkoutInput(Source, w.Id.ToString(CultureInfo.InvariantCulture), WorkoutActivities.GetValueOrDefault(w.Category, "workout"),
            DateTimeOffset.FromUnixTimeSeconds(w.StartDate).UtcDateTime, DateTimeOffset.FromUnixTimeSeconds(w.EndDate).UtcDateTime, w.Date,
            w.Data?.Calories, w.Data?.Distance);

    /// <summary>Withings' sleep-summary model of a sleep mat (Sleep Analyzer), which measures a night best.</summary>
    public const int SleepMatModel = 32;

    /// <summary>
    /// Two devices can summarise the same night (a Sleep Analyzer under the mattress and a watch): added up, the day
    /// would hold two nights. Per date one device wins, the sleep mat first, then the one that saw the longest sleep
    /// (then the lowest series id, so the choice never flips between syncs); its series (a night and any naps) are kept
    /// and the other devices' series are returned as superseded, for the sync to delete what an earlier run stored.
    /// </summary>
    public static (List<WithingsSleepSummary> Kept, List<string> Superseded) OneDevicePerNight(IEnumerable<WithingsSleepSummary> series)
    {
        var kept = new List<WithingsSleepSummary>();
        var superseded = new List<string>();
        foreach (var night in series.GroupBy(s => s.Date))
        {
            var devices = night.GroupBy(s => s.HashDeviceId ?? s.Model?.ToString(CultureInfo.InvariantCulture) ?? "").ToList();
            var winner = devices
                .OrderByDescending(d => d.Any(s => s.Model == SleepMatModel))
                .ThenByDescending(d => d.Sum(s => s.Data?.TotalSleepTime ?? 0))
                .ThenBy(d => d.Min(s => s.Id))
                .First();
            kept.AddRange(winner);
            superseded.AddRange(devices.Where(d => d != winner).SelectMany(d => d).Select(s => s.Id.ToString(CultureInfo.InvariantCulture)));
        }

        return (kept, superseded);
    }

    public static IEnumerable<SampleInput> SleepSummaries(IEnumerable<WithingsSleepSummary> series)
    {
        foreach (var s in series)
        {
            if (s.Data is not { } d)
            {
                continue;
            }

            var id = s.Id.ToString(CultureInfo.InvariantCulture);
            var start = DateTimeOffset.FromUnixTimeSeconds(s.StartDate).UtcDateTime;
            var end = DateTimeOffset.FromUnixTimeSeconds(s.EndDate).UtcDateTime;
            IEnumerable<(string Metric, double? Value)> values =
            [
                (MetricCatalogue.SleepDuration, d.TotalSleepTime),
                (MetricCatalogue.SleepLight, d.LightSleepDuration),
                (MetricCatalogue.SleepDeep, d.DeepSleepDuration),
                (MetricCatalogue.SleepRem, d.RemSleepDuration),
                (MetricCatalogue.SleepAwake, d.WakeUpDuration),
                // A 0–1 ratio at Withings; the catalogue stores per cent.
                (MetricCatalogue.SleepEfficiency, d.SleepEfficiency * 100),
                (MetricCatalogue.SleepLatency, d.SleepLatency),
                (MetricCatalogue.RestingHeartRate, d.HrMin),
                (MetricCatalogue.SleepHeartRate, d.HrAverage),
                (MetricCatalogue.RespiratoryRate, d.RrAverage),
                (MetricCatalogue.SleepScore, d.SleepScore),
            ];
            foreach (var (metric, value) in values)
            {
                if (value is { } v)
                {
                    yield return new SampleInput(metric, Source, id, start, v, end, s.Date);
                }
            }
        }
    }

    private static TimeZoneInfo? FindZone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
