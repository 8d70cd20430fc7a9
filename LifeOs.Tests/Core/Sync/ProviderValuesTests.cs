using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Sync;

/// <summary>
/// Issue 14 items 7–9: the values the devices send that LifeOs used to drop, synced from real-shaped payloads (the
/// shapes of python-withings' and Home Assistant's fixtures, withings.md and oura.md) through the fake servers.
/// Each test adds its records on 23 Nov 2026, a day the shared fixtures leave alone.
/// </summary>
public sealed class ProviderValuesTests
{
    private static readonly DateOnly Nov23 = new(2026, 11, 23);
    private static readonly DateOnly Nov24 = new(2026, 11, 24);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Sync_WithingsNewMeasureTypes_StoredInCanonicalUnits_SegmentsByPosition_OutOfRangeCountedAsRejected()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        var at = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        // A Body Scan weigh-in: python-withings' shape (value × 10^unit), with per-segment masses told apart by position.
        h.Withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, at, Group(7100000001, 0, at,
            (1810, 4, -3, null), (812, 91, -2, null), (42, 155, 0, null), (85, 170, -1, null), (17650, 168, -3, null), (24220, 169, -3, null),
            (1712, 226, 0, null), (1250, 174, -3, 3), (1310, 174, -3, 2), (4020, 174, -3, 10), (9870, 174, -3, 12), (29800, 175, -3, 12),
            (3120, 175, -3, 3), (8040, 175, -3, 11), (555, 174, -3, 99))));
        // A thermometer (type 71 body, 73 skin) and a scan's ECG with its AFib class, then a PPG check that was inconclusive.
        var thermo = at.AddHours(1);
        h.Withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, thermo, Group(7100000002, 0, thermo, (3712, 71, -2, null), (3350, 73, -2, null))));
        var ecg = at.AddHours(2);
        h.Withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, ecg, Group(7100000003, 0, ecg, (0, 130, 0, null), (2, 139, 0, null))));
        // Out of every range LifeOs accepts: a 900 kg weigh-in and a pulse wave velocity of 99 m/s.
        var bad = at.AddHours(3);
        h.Withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, bad, Group(7100000004, 0, bad, (900000, 1, -3, null), (99, 91, 0, null))));

        var run = await h.SyncAsync(h.AdaId, ProviderKind.Withings);

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        async Task<double?> Ada(string metric) => await h.DailyAsync(h.AdaId, SampleSource.Withings, metric, Nov23);
        Assert.Equal(1.81, (await Ada(MetricCatalogue.Height))!.Value, 9);
        Assert.Equal(8.12, (await Ada(MetricCatalogue.PulseWaveVelocity))!.Value, 9);
        Assert.Equal(42, await Ada(MetricCatalogue.VascularAge));
        Assert.Equal(8.5, (await Ada(MetricCatalogue.VisceralFat))!.Value, 9);
        Assert.Equal(17.65, (await Ada(MetricCatalogue.ExtracellularWater))!.Value, 9);
        Assert.Equal(24.22, (await Ada(MetricCatalogue.IntracellularWater))!.Value, 9);
        Assert.Equal(1712, await Ada(MetricCatalogue.BasalMetabolicRate));
        Assert.Equal(1.25, (await Ada(MetricCatalogue.FatMassLeftArm))!.Value, 9);
        Assert.Equal(1.31, (await Ada(MetricCatalogue.FatMassRightArm))!.Value, 9);
        Assert.Equal(4.02, (await Ada(MetricCatalogue.FatMassLeftLeg))!.Value, 9);
        Assert.Equal(9.87, (await Ada(MetricCatalogue.FatMassTorso))!.Value, 9);
        Assert.Equal(29.8, (await Ada(MetricCatalogue.MuscleMassTorso))!.Value, 9);
        Assert.Equal(3.12, (await Ada(MetricCatalogue.MuscleMassLeftArm))!.Value, 9);
        Assert.Equal(8.04, (await Ada(MetricCatalogue.MuscleMassRightLeg))!.Value, 9);
        Assert.Null(await Ada(MetricCatalogue.FatMassRightLeg));
        Assert.Equal(37.12, (await Ada(MetricCatalogue.BodyTemperature))!.Value, 9);
        Assert.Equal(33.5, (await Ada(MetricCatalogue.SkinTemperature))!.Value, 9);
        Assert.Equal(0, await Ada(MetricCatalogue.AfibEcg));
        Assert.Equal(2, await Ada(MetricCatalogue.AfibPpg));
        // The unknown segment (position 99) is not stored under any metric.
        var segmentSamples = await h.App.WithDbAsync(db => db.SamplesOf(h.AdaId).CountAsync(s => s.SourceRecordId.StartsWith("7100000001:174:")));
        Assert.Equal(4, segmentSamples);

        // The refused values: counted for the data type, nothing stored for them.
        var counts = JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(run.CountsJson, Json)!;
        Assert.Equal(2, counts["measures"].Rejected);
        Assert.Equal(0, counts["activity"].Rejected);
        Assert.Empty(await h.App.WithDbAsync(db => db.SamplesOf(h.AdaId).Where(s => s.SourceRecordId.StartsWith("7100000004")).ToListAsync()));

        // Shown on the integrations page beside the run.
        var (_, page) = await h.Ada.GetPageAsync("/integrations");
        var refused = page.QuerySelector("[data-testid=integration-withings-history] [data-testid=sync-run-rejected]");
        Assert.NotNull(refused);
        Assert.Contains("Body and blood pressure 2", refused.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricPage_AbsoluteTemperatureForImperialUser_ShowsFahrenheitWithOffset_AndAfibInWords()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        var at = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        h.Withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, at, Group(7200000001, 0, at, (3700, 71, -2, null), (1, 130, 0, null))));
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.AdaId, ProviderKind.Withings)).Status);
        await h.App.WithDbAsync(db => db.Users.Where(u => u.Id == h.AdaId).ExecuteUpdateAsync(s => s.SetProperty(u => u.UnitSystem, UnitSystem.Imperial)));

        var (response, page) = await h.Ada.GetPageAsync("/metrics/body_temperature?range=30d");

        Assert.True(response.IsSuccessStatusCode);
        // 37 °C is 98.6 °F: × 1.8 and + 32, not the deviation's × 1.8 alone (66.6).
        var day = page.QuerySelectorAll("[data-testid=day-value]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["98.6"], day);
        Assert.Contains("°F", page.QuerySelector("[data-testid=metric-days]")!.TextContent, StringComparison.Ordinal);

        var (_, afib) = await h.Ada.GetPageAsync("/metrics/afib_ecg?range=30d");
        Assert.Equal(["Signs of AFib"], afib.QuerySelectorAll("[data-testid=day-value]").Select(c => c.TextContent.Trim()).ToList());
    }

    [Fact]
    public async Task Sync_WithingsPhoneActivity_IsItsOwnSource_BelowTheTracker_AndFillsADayWithoutOne()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        // A day with only the phone (Google Fit through Withings: brand 18, no device), as Home Assistant's fixtures show it.
        h.Withings.Data.Add("activity", new(SyncHarness.AdaWithings, Nov23, null, new
        {
            date = "2026-11-23", timezone = "Europe/Berlin", deviceid = (string?)null, hash_deviceid = (string?)null, brand = 18, is_tracker = false,
            modified = 1763900000, steps = 4321, distance = 3012.5, calories = 150.0, totalcalories = 2050.0,
        }));

        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.AdaId, ProviderKind.Withings)).Status);

        var phone = Assert.Single(await h.SamplesAsync(h.AdaId, SampleSource.WithingsPhone, MetricCatalogue.Steps), s => s.LocalDate == Nov23);
        Assert.Equal(4321, phone.Value);
        Assert.DoesNotContain(await h.SamplesAsync(h.AdaId, SampleSource.Withings, MetricCatalogue.Steps), s => s.LocalDate == Nov23);
        var daily = await h.App.WithDbAsync(db => db.DailyValues.Where(d => d.UserId == h.AdaId && d.MetricCode == MetricCatalogue.Steps).ToDictionaryAsync(d => d.LocalDate));
        Assert.Equal((4321, SampleSource.WithingsPhone), (daily[Nov23].Value, daily[Nov23].Source));
        // 24 Nov has the tracker (10,342) and the phone (3,000): the tracker wins, never the sum.
        Assert.Equal(3000, Assert.Single(await h.SamplesAsync(h.AdaId, SampleSource.WithingsPhone, MetricCatalogue.Steps), s => s.LocalDate == Nov24).Value);
        Assert.Equal((10342, SampleSource.Withings), (daily[Nov24].Value, daily[Nov24].Source));

        // Below every device in the default order, above what is typed in.
        foreach (var group in Enum.GetValues<MetricGroup>())
        {
            var order = SourcePriority.Default(group).ToList();
            Assert.True(order.IndexOf(SampleSource.WithingsPhone) > Math.Max(order.IndexOf(SampleSource.Oura), order.IndexOf(SampleSource.Withings)));
            Assert.True(order.IndexOf(SampleSource.WithingsPhone) < order.IndexOf(SampleSource.Manual));
        }

        // A disconnect that deletes the data takes the phone's too.
        var outcome = await h.WithAsync<ConnectionOutcome, ConnectionService>(c => c.DisconnectAsync(h.AdaId, ProviderKind.Withings, deleteData: true));
        Assert.True(outcome.Succeeded);
        Assert.Empty(await h.SamplesAsync(h.AdaId, SampleSource.WithingsPhone, MetricCatalogue.Steps));
    }

    [Fact]
    public async Task Sync_TwoSleepDevicesOneNight_OneDeviceWins_TheRingByPriority_NeverAddedUp()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        // The night of 22→23 Nov: first only the watch had synced with Withings...
        h.Withings.Data.Add("sleep_summary", new(SyncHarness.AdaWithings, Nov23, null, Summary(3051300001, model: 16, device: "watch-1", total: 21000, score: 70)));
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.AdaId, ProviderKind.Withings)).Status);
        Assert.Equal(21000, await h.DailyAsync(h.AdaId, SampleSource.Withings, MetricCatalogue.SleepDuration, Nov23));

        // ...then the Sleep Analyzer under the mattress did too, and the Oura ring saw the same night.
        h.Withings.Data.Add("sleep_summary", new(SyncHarness.AdaWithings, Nov23, null, Summary(3051300002, model: 32, device: "mat-1", total: 25500, score: 83)));
        h.Oura.Data.Add("sleep", new(SyncHarness.AdaOura, Nov23, null, new
        {
            id = "slp-1123", day = "2026-11-23", type = "long_sleep", period = 0,
            bedtime_start = "2026-11-22T23:05:00+01:00", bedtime_end = "2026-11-23T06:55:00+01:00",
            time_in_bed = 28200, total_sleep_duration = 24600, awake_time = 3600, light_sleep_duration = 13200, deep_sleep_duration = 5400,
            rem_sleep_duration = 6000, efficiency = 87, latency = 420, average_heart_rate = 55.5, lowest_heart_rate = 49, average_hrv = 44, average_breath = 14.25,
        }));
        var withings = await h.SyncAsync(h.AdaId, ProviderKind.Withings);
        var oura = await h.SyncAsync(h.AdaId, ProviderKind.Oura);
        Assert.Equal(SyncRunStatus.Succeeded, withings.Status);
        Assert.Equal(SyncRunStatus.Succeeded, oura.Status);

        // One Withings device for the night (the mat), the watch's samples gone, not 21,000 + 25,500.
        var withingsSleep = (await h.SamplesAsync(h.AdaId, SampleSource.Withings, MetricCatalogue.SleepDuration)).Where(s => s.LocalDate == Nov23).ToList();
        Assert.Equal("3051300002", Assert.Single(withingsSleep).SourceRecordId);
        Assert.Equal(83, await h.DailyAsync(h.AdaId, SampleSource.Withings, MetricCatalogue.SleepScore, Nov23));
        // One night per source; the day takes the ring's (sleep puts the ring first), whole.
        var day = await h.App.WithDbAsync(db => db.DailyValues.SingleAsync(d => d.UserId == h.AdaId && d.MetricCode == MetricCatalogue.SleepDuration && d.LocalDate == Nov23));
        Assert.Equal((24600, SampleSource.Oura, 1), (day.Value, day.Source, day.SampleCount));

        // The user puts Withings first for sleep: the mat's night, again whole.
        await h.WithAsync<bool, HealthStore>(s => s.MoveSourceAsync(h.AdaId, MetricGroup.Sleep, SampleSource.Withings, -1));
        day = await h.App.WithDbAsync(db => db.DailyValues.SingleAsync(d => d.UserId == h.AdaId && d.MetricCode == MetricCatalogue.SleepDuration && d.LocalDate == Nov23));
        Assert.Equal((25500, SampleSource.Withings, 1), (day.Value, day.Source, day.SampleCount));
    }

    [Fact]
    public async Task Sync_OuraDistanceBreathingAndWorkouts_StoredPerUser_IdempotentOnResync()
    {
        await using var h = await SyncHarness.StartAsync();
        var at = new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.FromHours(1));
        h.Oura.Data.Add("daily_activity", new(SyncHarness.AdaOura, Nov23, at, new
        {
            id = "act-1123", day = "2026-11-23", timestamp = at, score = 84, steps = 11020, active_calories = 540, total_calories = 2710,
            equivalent_walking_distance = 9120, target_meters = 9000, high_activity_time = 600,
        }));
        h.Oura.Data.Add("workout", new(SyncHarness.AdaOura, Nov23, null, new
        {
            id = "wo-ada-1", activity = "cycling", calories = 412.5, distance = 18350.0, day = "2026-11-23",
            start_datetime = "2026-11-23T17:30:00+01:00", end_datetime = "2026-11-23T18:32:00+01:00", intensity = "moderate", label = (string?)null, source = "autodetected",
        }));
        h.Oura.Data.Add("workout", new(SyncHarness.AdaOura, Nov24, null, new
        {
            id = "wo-ada-2", activity = "strength_training", calories = 180.0, distance = (double?)null, day = "2026-11-24",
            start_datetime = "2026-11-24T07:00:00+01:00", end_datetime = "2026-11-24T07:40:00+01:00", intensity = "hard", label = (string?)null, source = "manual",
        }));
        // Ends before it starts: refused, and counted.
        h.Oura.Data.Add("workout", new(SyncHarness.AdaOura, Nov24, null, new
        {
            id = "wo-ada-bad", activity = "running", calories = 100.0, distance = 1000.0, day = "2026-11-24",
            start_datetime = "2026-11-24T09:00:00+01:00", end_datetime = "2026-11-24T08:00:00+01:00", intensity = "easy", source = "manual",
        }));
        h.Oura.Data.Add("workout", new(SyncHarness.BoOura, Nov24, null, new
        {
            id = "wo-bo-1", activity = "walking", calories = 90.0, distance = 3000.0, day = "2026-11-24",
            start_datetime = "2026-11-24T12:00:00+13:00", end_datetime = "2026-11-24T12:45:00+13:00", intensity = "easy", source = "confirmed",
        }));

        var first = await h.SyncAsync(h.AdaId, ProviderKind.Oura);
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.BoId, ProviderKind.Oura)).Status);

        Assert.Equal(9120, await h.DailyAsync(h.AdaId, SampleSource.Oura, MetricCatalogue.Distance, Nov23));
        // daily_spo2 of 24 Nov carries breathing_disturbance_index 7 (SyncFixtures); 23 Nov's is null: nothing.
        Assert.Equal(7, await h.DailyAsync(h.AdaId, SampleSource.Oura, MetricCatalogue.BreathingDisturbanceIndex, Nov24));
        Assert.Null(await h.DailyAsync(h.AdaId, SampleSource.Oura, MetricCatalogue.BreathingDisturbanceIndex, Nov23));

        var ada = await h.WithAsync<IReadOnlyList<WorkoutView>, WorkoutStore>(w => w.ListAsync(h.AdaId));
        Assert.Equal(["wo-ada-2", "wo-ada-1"], await h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.AdaId).OrderByDescending(w => w.StartUtc).Select(w => w.SourceRecordId).ToListAsync()));
        var cycling = ada[1];
        Assert.Equal(("cycling", new DateTime(2026, 11, 23, 16, 30, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(62), Nov23, 412.5, 18350.0),
            (cycling.Activity, cycling.StartUtc, cycling.Duration, cycling.LocalDate, cycling.Calories, cycling.DistanceMeters));
        Assert.Null(ada[0].DistanceMeters);
        // Writing workouts leaves the run's cursors to move as they should: every data type is complete through today.
        var cursors = await h.App.WithDbAsync(db => db.Set<SyncCursor>()
            .Where(c => db.Connections.Any(x => x.Id == c.ConnectionId && x.UserId == h.AdaId && x.Provider == ProviderKind.Oura)).ToListAsync());
        Assert.Contains(cursors, c => c.DataType == "workout");
        Assert.All(cursors, c => Assert.Equal(SyncFixtures.Today, c.CompleteThrough));
        var counts = JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(first.CountsJson, Json)!;
        Assert.Equal((3, 2, 1), (counts["workout"].Fetched, counts["workout"].Written, counts["workout"].Rejected));

        // Each user sees their own only.
        var bo = Assert.Single(await h.WithAsync<IReadOnlyList<WorkoutView>, WorkoutStore>(w => w.ListAsync(h.BoId)));
        Assert.Equal("walking", bo.Activity);

        // Again: nothing new, nothing changed.
        var updatedAt = await h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.AdaId).Select(w => w.UpdatedAt).ToListAsync());
        var again = await h.SyncAsync(h.AdaId, ProviderKind.Oura);
        Assert.Equal(0, JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(again.CountsJson, Json)!["workout"].Written);
        Assert.Equal(updatedAt, await h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.AdaId).Select(w => w.UpdatedAt).ToListAsync()));

        // The page: Ada's two, newest first, in her zone and units; not Bo's.
        var (_, page) = await h.Ada.GetPageAsync("/metrics/workouts");
        Assert.Equal(["Strength training", "Cycling"], page.QuerySelectorAll("[data-testid=workout-activity]").Select(c => c.TextContent.Trim()).ToList());
        Assert.Equal(["–", "18.35 km"], page.QuerySelectorAll("[data-testid=workout-distance]").Select(c => c.TextContent.Trim()).ToList());
        Assert.Equal(["40 min", "1 h 02"], page.QuerySelectorAll("[data-testid=workout-duration]").Select(c => c.TextContent.Trim()).ToList());
        Assert.DoesNotContain("Walking", page.Body!.TextContent, StringComparison.Ordinal);

        // Disconnecting with the data takes the workouts.
        Assert.True((await h.WithAsync<ConnectionOutcome, ConnectionService>(c => c.DisconnectAsync(h.AdaId, ProviderKind.Oura, deleteData: true))).Succeeded);
        Assert.Empty(await h.WithAsync<IReadOnlyList<WorkoutView>, WorkoutStore>(w => w.ListAsync(h.AdaId)));
        Assert.Single(await h.WithAsync<IReadOnlyList<WorkoutView>, WorkoutStore>(w => w.ListAsync(h.BoId)));
        var (_, empty) = await h.Ada.GetPageAsync("/metrics/workouts");
        Assert.NotNull(empty.QuerySelector("[data-testid=workouts-empty]"));
    }

    [Fact]
    public async Task Sync_WithingsWorkouts_StoredPerUser_WithReadableActivities_IdempotentOnResync()
    {
        await using var h = await SyncHarness.StartAsync();
        // getworkouts series in withings.md §4.6's shape (aiowithings' fixture): epochs, the local date, data fields asked for.
        static object Series(long id, int category, DateTimeOffset start, int minutes, double? calories, double? distance) => new
        {
            id, category, timezone = "Europe/Paris", model = 93, attrib = 0, startdate = start.ToUnixTimeSeconds(), enddate = start.AddMinutes(minutes).ToUnixTimeSeconds(),
            date = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), modified = start.AddHours(2).ToUnixTimeSeconds(), deviceid = "b81d44e0c2",
            data = new { calories, distance, intensity = 50, hr_average = 131, steps = 0, elevation = 12, pause_duration = 0 },
        };
        var evening = new DateTimeOffset(2026, 11, 23, 17, 30, 0, TimeSpan.FromHours(1));
        h.Withings.Data.Add("workouts", new(SyncHarness.AdaWithings, Nov23, null, Series(9100000001, 6, evening, 62, 412.5, 18350)));
        var morning = new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.FromHours(1));
        h.Withings.Data.Add("workouts", new(SyncHarness.AdaWithings, Nov24, null, Series(9100000002, 16, morning, 40, 180, null)));
        // A category LifeOs has no name for, and one that ends before it starts (refused, counted).
        h.Withings.Data.Add("workouts", new(SyncHarness.AdaWithings, Nov24, null, Series(9100000003, 191, morning.AddHours(3), 30, 150, null)));
        h.Withings.Data.Add("workouts", new(SyncHarness.AdaWithings, Nov24, null, Series(9100000004, 2, morning.AddHours(5), -10, 100, 1000)));
        h.Withings.Data.Add("workouts", new(SyncHarness.BoWithings, Nov24, null, Series(9200000001, 1, morning, 45, 90, 3000)));

        var first = await h.SyncAsync(h.AdaId, ProviderKind.Withings);
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.BoId, ProviderKind.Withings)).Status);

        var ada = await h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.AdaId).OrderBy(w => w.StartUtc).ToListAsync());
        Assert.Equal(
            [
                ("9100000001", "cycling", new DateTime(2026, 11, 23, 16, 30, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(62), Nov23, (double?)412.5, (double?)18350),
                ("9100000002", "strength_training", new DateTime(2026, 11, 24, 6, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(40), Nov24, 180, null),
                ("9100000003", "workout", new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(30), Nov24, 150, null),
            ],
            ada.Select(w => (w.SourceRecordId, w.Activity, w.StartUtc, w.EndUtc - w.StartUtc, w.LocalDate, w.Calories, w.DistanceMeters)));
        Assert.All(ada, w => Assert.Equal(SampleSource.Withings, w.Source));
        var counts = JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(first.CountsJson, Json)!;
        Assert.Equal((4, 3, 1), (counts["workouts"].Fetched, counts["workouts"].Written, counts["workouts"].Rejected));
        Assert.Equal("walking", Assert.Single(await h.WithAsync<IReadOnlyList<WorkoutView>, WorkoutStore>(w => w.ListAsync(h.BoId))).Activity);

        // Again: nothing new, nothing changed.
        var updatedAt = ada.Select(w => w.UpdatedAt).ToList();
        var again = await h.SyncAsync(h.AdaId, ProviderKind.Withings);
        Assert.Equal(0, JsonSerializer.Deserialize<Dictionary<string, SyncTypeResult>>(again.CountsJson, Json)!["workouts"].Written);
        Assert.Equal(updatedAt, await h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.AdaId).OrderBy(w => w.StartUtc).Select(w => w.UpdatedAt).ToListAsync()));

        var (_, page) = await h.Ada.GetPageAsync("/metrics/workouts");
        Assert.Equal(["Workout", "Strength training", "Cycling"], page.QuerySelectorAll("[data-testid=workout-activity]").Select(c => c.TextContent.Trim()).ToList());
        Assert.DoesNotContain("Walking", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_AbsoluteTemperatures_ConvertToFahrenheitWithOffset_DeviationsWithout()
    {
        var body = MetricCatalogue.Get(MetricCatalogue.BodyTemperature).DisplayFor(UnitSystem.Imperial);
        Assert.Equal(98.6, body.FromCanonical(37), 9);
        Assert.Equal(32, body.FromCanonical(0), 9);
        Assert.Equal(37, body.ToCanonical(98.6), 9);
        Assert.Equal(91.4, MetricCatalogue.Get(MetricCatalogue.SkinTemperature).DisplayFor(UnitSystem.Imperial).FromCanonical(33), 9);
        Assert.Equal(1.8, MetricCatalogue.Get(MetricCatalogue.BodyTemperatureDeviation).DisplayFor(UnitSystem.Imperial).FromCanonical(1), 9);
        Assert.Equal(181, MetricCatalogue.Get(MetricCatalogue.Height).DisplayFor(UnitSystem.Metric).FromCanonical(1.81), 9);

        // Every metric: a unit in both systems that goes there and back, a range that holds its values.
        foreach (var metric in MetricCatalogue.All)
        {
            Assert.True(metric.MinValue < metric.MaxValue, metric.Code);
            Assert.True(metric.Code.Length <= 32, metric.Code);
            foreach (var unit in new[] { metric.Metric, metric.Imperial })
            {
                var mid = (metric.MinValue + metric.MaxValue) / 2;
                Assert.Equal(mid, unit.ToCanonical(unit.FromCanonical(mid)), 6);
            }
        }

        Assert.Equal(MetricCatalogue.All.Count, MetricCatalogue.All.Select(m => m.Code).Distinct().Count());
    }

    private static object Group(long grpid, int attrib, DateTimeOffset at, params (long Value, int Type, int Unit, int? Position)[] measures) => new
    {
        grpid,
        attrib,
        date = at.ToUnixTimeSeconds(),
        created = at.ToUnixTimeSeconds() + 27,
        modified = at.ToUnixTimeSeconds() + 27,
        category = 1,
        deviceid = "5b1c0e9d2a",
        hash_deviceid = "5b1c0e9d2a",
        model = "Body Scan",
        modelid = 21,
        comment = (string?)null,
        measures = measures.Select(m => m.Position is { } p
            ? (object)new { value = m.Value, type = m.Type, unit = m.Unit, algo = 0, fm = 3, position = p }
            : new { value = m.Value, type = m.Type, unit = m.Unit, algo = 0, fm = 3 }).ToArray(),
    };

    private static object Summary(long id, int model, string device, int total, int score) => new
    {
        id,
        timezone = "Europe/Berlin",
        model,
        model_id = model == 32 ? 63 : 93,
        hash_deviceid = device,
        startdate = new DateTimeOffset(2026, 11, 22, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
        enddate = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
        date = "2026-11-23",
        created = new DateTimeOffset(2026, 11, 23, 6, 20, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
        modified = new DateTimeOffset(2026, 11, 23, 6, 20, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
        completed = true,
        data = new
        {
            total_timeinbed = total + 1800, total_sleep_time = total, lightsleepduration = total / 2, deepsleepduration = total / 5, remsleepduration = total / 4,
            wakeupduration = 1500, sleep_efficiency = 0.92, sleep_latency = 600, wakeup_latency = 300, hr_average = 56, hr_min = 48, rr_average = 14,
            breathing_disturbances_intensity = 9, sleep_score = score,
        },
    };
}
