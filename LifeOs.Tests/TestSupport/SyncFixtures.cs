using LifeOs.Tests.Fakes;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// The fake providers' data for sync tests. A year of everyday background (so backfills page and window), plus
/// hand-written records whose expected values the tests compute by hand: naps and a deleted period on the night of
/// Berlin's DST change, heart rate around local midnight on both sides of it, a duplicate served on two pages,
/// Withings groups that are ambiguous, duplicated, goals or echoed from a phone, and a second user in Auckland.
/// "Today" is 2026-11-25 (the harness clock: 09:30Z, 10:30 in Berlin, 22:30 in Auckland).
/// </summary>
public static class SyncFixtures
{
    public static readonly DateOnly Today = new(2026, 11, 25);

    /// <summary>Days the background leaves alone, so hand-computed values see only the hand-written records.</summary>
    public static readonly HashSet<DateOnly> SpecialDays = [new(2026, 10, 24), new(2026, 10, 25), new(2026, 10, 26), new(2026, 11, 23), new(2026, 11, 24), new(2026, 11, 25)];

    /// <summary>Background days: every day of the last year except the special ones.</summary>
    public static IEnumerable<DateOnly> BackgroundDays =>
        Enumerable.Range(1, 365).Select(i => Today.AddDays(-i)).Where(d => !SpecialDays.Contains(d)).OrderBy(d => d);

    public static int BackgroundSteps(DateOnly day) => 5000 + (day.DayNumber % 97 * 10);

    public static void Seed(FakeOura oura, FakeWithings withings)
    {
        SeedOura(oura.Data);
        SeedWithings(withings);
    }

    private static void SeedOura(FakeProviderData data)
    {
        const string ada = SyncHarness.AdaOura;
        const string bo = SyncHarness.BoOura;
        data.PageSizes["heartrate"] = 100;
        data.PageSizes["daily_activity"] = 20;
        data.PageSizes["sleep"] = 2;

        foreach (var day in BackgroundDays)
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(4, 0)), TimeSpan.FromHours(1));
            data.Add("daily_activity", new(ada, day, at, new { id = $"act-{day:yyyyMMdd}", day = day.ToString("yyyy-MM-dd"), timestamp = at, score = 80, steps = BackgroundSteps(day), active_calories = 400, total_calories = 2400 }));
            data.Add("daily_readiness", new(ada, day, at, new { id = $"rdy-{day:yyyyMMdd}", day = day.ToString("yyyy-MM-dd"), timestamp = at, score = 75, temperature_deviation = 0.1 }));
            // Six heart-rate rows a day, at 10:00–10:50 UTC (daytime in Berlin whatever the season).
            for (var i = 0; i < 6; i++)
            {
                var t = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, i * 10)), TimeSpan.Zero);
                data.Add("heartrate", new(ada, null, t, new { bpm = 60 + i, source = "awake", timestamp = t, timestamp_unix = t.ToUnixTimeMilliseconds() }));
            }
        }

        // The night of 24→25 Oct 2026: clocks go back at 03:00 CEST. Main sleep, a nap, a deleted period.
        var dst = new DateOnly(2026, 10, 25);
        data.Add("sleep", new(ada, dst, null, Sleep("slp-main", dst, "long_sleep", "2026-10-24T23:30:00+02:00", "2026-10-25T07:00:00+01:00",
            total: 25200, deep: 5400, light: 14400, rem: 5400, awake: 1800, efficiency: 90, latency: 600, lowest: 50, hrv: 40, breath: 14.0)));
        data.Add("sleep", new(ada, dst, null, Sleep("slp-nap", dst, "sleep", "2026-10-25T14:00:00+01:00", "2026-10-25T14:40:00+01:00",
            total: 1800, deep: 0, light: 1500, rem: 300, awake: 300, efficiency: 80, latency: 300, lowest: 58, hrv: 30, breath: 15.0)));
        data.Add("sleep", new(ada, dst, null, Sleep("slp-deleted", dst, "deleted", "2026-10-25T16:00:00+01:00", "2026-10-25T18:00:00+01:00",
            total: 7200, deep: 0, light: 7200, rem: 0, awake: 0, efficiency: 100, latency: 0, lowest: 40, hrv: 90, breath: 10.0)));
        data.Add("daily_sleep", new(ada, dst, null, new { id = "ds-1025", day = "2026-10-25", score = 82, timestamp = "2026-10-25T00:00:00+02:00", contributors = new { deep_sleep = 91 } }));
        // The same daily_sleep document again (Oura re-issues documents): one sample, not two.
        data.Add("daily_sleep", new(ada, dst, null, new { id = "ds-1025", day = "2026-10-25", score = 82, timestamp = "2026-10-25T00:00:00+02:00", contributors = new { deep_sleep = 91 } }));
        data.Add("daily_sleep", new(ada, new DateOnly(2026, 11, 24), null, new { id = "ds-1124", day = "2026-11-24", score = (int?)null, timestamp = "2026-11-24T00:00:00+01:00" }));

        // Heart rate around local midnight on both sides of the change: 23:30 CEST, 00:30 CEST, 23:30 CET, 00:30 CET.
        HeartRate(data, ada, "2026-10-24T21:30:00Z", 70);
        HeartRate(data, ada, "2026-10-24T22:30:00Z", 72);
        HeartRate(data, ada, "2026-10-25T22:30:00Z", 76);
        HeartRate(data, ada, "2026-10-25T23:30:00Z", 80);
        // The same row twice (same timestamp and source): one sample.
        HeartRate(data, ada, "2026-10-25T22:30:00Z", 76);

        var nov24 = new DateOnly(2026, 11, 24);
        var nov24At = new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.FromHours(1));
        data.Add("daily_activity", new(ada, nov24, nov24At, new { id = "act-1124", day = "2026-11-24", timestamp = nov24At, score = 86, steps = 9412, active_calories = 512, total_calories = 2690 }));
        data.Add("daily_readiness", new(ada, nov24, nov24At, new { id = "rdy-1124", day = "2026-11-24", timestamp = nov24At, score = 79, temperature_deviation = -0.12 }));
        data.Add("daily_spo2", new(ada, nov24, null, new { id = "spo-1124", day = "2026-11-24", spo2_percentage = new { average = 96.8 }, breathing_disturbance_index = 7 }));
        data.Add("daily_spo2", new(ada, new DateOnly(2026, 11, 23), null, new { id = "spo-1123", day = "2026-11-23", spo2_percentage = (object?)null, breathing_disturbance_index = (int?)null }));

        // Bo in Auckland (UTC+13 in November): 23:30 and 00:30 local are 10:30Z and 11:30Z.
        HeartRate(data, bo, "2026-11-24T10:30:00Z", 70);
        HeartRate(data, bo, "2026-11-24T11:30:00Z", 80);
        var boAt = new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.FromHours(13));
        data.Add("daily_activity", new(bo, nov24, boAt, new { id = "bo-act-1124", day = "2026-11-24", timestamp = boAt, score = 70, steps = 5000, active_calories = 300, total_calories = 2100 }));
    }

    private static object Sleep(string id, DateOnly day, string type, string start, string end, int total, int deep, int light, int rem, int awake,
        int efficiency, int latency, int lowest, int hrv, double breath) => new
        {
            id,
            day = day.ToString("yyyy-MM-dd"),
            type,
            period = 0,
            bedtime_start = start,
            bedtime_end = end,
            time_in_bed = total + awake,
            total_sleep_duration = total,
            awake_time = awake,
            light_sleep_duration = light,
            deep_sleep_duration = deep,
            rem_sleep_duration = rem,
            efficiency,
            latency,
            average_heart_rate = lowest + 4.375,
            lowest_heart_rate = lowest,
            average_hrv = hrv,
            average_breath = breath,
            heart_rate = new { interval = 300.0, timestamp = start, items = new double?[] { null, 58.0, 55.0 } },
            sleep_phase_5_min = "4422211133322221111223334",
        };

    private static void HeartRate(FakeProviderData data, string account, string at, int bpm)
    {
        var t = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        data.Add("heartrate", new(account, null, t, new { bpm, source = "awake", timestamp = t.ToString("yyyy-MM-ddTHH:mm:sszzz"), timestamp_unix = t.ToUnixTimeMilliseconds() }));
    }

    private static void SeedWithings(FakeWithings withings)
    {
        const string ada = SyncHarness.AdaWithings;
        const string bo = SyncHarness.BoWithings;
        var data = withings.Data;
        withings.TimeZones[ada] = "Europe/Berlin";
        withings.TimeZones[bo] = "Pacific/Auckland";
        data.PageSizes["measures"] = 2;
        data.PageSizes["activity"] = 25;

        // A weigh-in every Monday of the background year.
        foreach (var day in BackgroundDays.Where(d => d.DayOfWeek == DayOfWeek.Monday))
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
            data.Add("measures", new(ada, null, at, Group(100_000 + day.DayNumber, 0, at, 1, (80_000, 1, -3))));
        }

        var weighIn = new DateTimeOffset(2026, 11, 24, 6, 30, 0, TimeSpan.Zero);
        data.Add("measures", new(ada, null, weighIn, Group(5123456789, 0, weighIn, 1, (78420, 1, -3), (61058, 5, -3), (2214, 6, -2), (17362, 8, -3), (58220, 76, -3), (42150, 77, -3), (2890, 88, -3))));
        // The same group again with attrib 8 ("same as 0"): duplicates, not new values.
        data.Add("measures", new(ada, null, weighIn, Group(5123456789, 8, weighIn, 1, (78420, 1, -3), (2214, 6, -2))));
        // Someone else on the scale (ambiguous attribution) and a goal: neither is Ada's measurement.
        data.Add("measures", new(ada, null, weighIn.AddMinutes(5), Group(5123456790, 1, weighIn.AddMinutes(5), 1, (95000, 1, -3))));
        data.Add("measures", new(ada, null, weighIn.AddMinutes(6), Group(5123456791, 0, weighIn.AddMinutes(6), 2, (70, 1, 0))));
        // Blood pressure at 00:30 local time on 25 Nov (23:30Z on the 24th), with the pulse the monitor took.
        var bp = new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.Zero);
        data.Add("measures", new(ada, null, bp, Group(5123470012, 0, bp, 1, (124, 10, 0), (79, 9, 0), (66, 11, 0))));

        var nov24 = new DateOnly(2026, 11, 24);
        data.Add("activity", new(ada, nov24, null, new { date = "2026-11-24", timezone = "Europe/Berlin", deviceid = "9a1b2c3d4e", brand = 1, is_tracker = true, modified = 1764000000, steps = 10342, distance = 7984.3, calories = 486.2, totalcalories = 2712.9 }));
        // Echo from a phone health platform (brand 18, no device): skipped.
        data.Add("activity", new(ada, nov24, null, new { date = "2026-11-24", timezone = "Europe/Berlin", deviceid = (string?)null, brand = 18, is_tracker = false, modified = 1764000000, steps = 3000, distance = 2000.0, calories = 100.0, totalcalories = 2000.0 }));
        foreach (var day in BackgroundDays)
        {
            data.Add("activity", new(ada, day, null, new { date = day.ToString("yyyy-MM-dd"), timezone = "Europe/Berlin", deviceid = "9a1b2c3d4e", brand = 1, steps = 6000, distance = 4000.0, calories = 300.0, totalcalories = 2300.0 }));
        }

        data.Add("sleep_summary", new(ada, nov24, null, new
        {
            id = 3051234567L,
            timezone = "Europe/Berlin",
            model = 32,
            startdate = new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
            enddate = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
            date = "2026-11-24",
            data = new { total_sleep_time = 25320, lightsleepduration = 13560, deepsleepduration = 5100, remsleepduration = 6660, wakeupduration = 1680, sleep_efficiency = 0.9, sleep_latency = 780, hr_average = 57, hr_min = 49, rr_average = 14, sleep_score = 81 },
        }));

        var boAt = new DateTimeOffset(2026, 11, 24, 19, 0, 0, TimeSpan.Zero); // 08:00 on 25 Nov in Auckland
        data.Add("measures", new(bo, null, boAt, Group(6000000001, 0, boAt, 1, (64000, 1, -3))));
    }

    private static object Group(long grpid, int attrib, DateTimeOffset at, int category, params (long Value, int Type, int Unit)[] measures) => new
    {
        grpid,
        attrib,
        date = at.ToUnixTimeSeconds(),
        created = at.ToUnixTimeSeconds() + 27,
        modified = at.ToUnixTimeSeconds() + 27,
        category,
        deviceid = "3e2f9c7a1b",
        model = "Body Comp",
        modelid = 18,
        comment = (string?)null,
        measures = measures.Select(m => new { value = m.Value, type = m.Type, unit = m.Unit, algo = 0, fm = 3 }).ToArray(),
    };
}
