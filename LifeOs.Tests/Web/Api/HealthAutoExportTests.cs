using System.Net;
using System.Text.Json;
using LifeOs.Core.Api;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web.Api;

/// <summary>POST /api/v1/ingest/health-auto-export: Health Auto Export's JSON (format version 2) into the catalogue.</summary>
public sealed class HealthAutoExportTests : IAsyncLifetime
{
    private const string Url = "/api/v1/ingest/health-auto-export";
    private readonly ApiHarness api = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => api.DisposeAsync();

    /// <summary>A push as the app sends it, hourly grouping, the user in Europe/Paris (UTC+1 in November).</summary>
    private static object Export() => new
    {
        data = new
        {
            metrics = new object[]
            {
                new { name = "step_count", units = "count", data = new object[]
                {
                    new { date = "2026-11-20 08:00:00 +0100", qty = 412, source = "Apple Watch" },
                    new { date = "2026-11-20 09:00:00 +0100", qty = 1250.5, source = "iPhone|Apple Watch" },
                } },
                new { name = "heart_rate", units = "count/min", data = new object[]
                {
                    new { date = "2026-11-20 08:00:00 +0100", Min = 55, Avg = 68.5, Max = 121, source = "Apple Watch" },
                    new { date = "2026-11-20 09:00:00 +0100", Min = 60, Avg = 72, Max = 98, source = "Apple Watch" },
                } },
                new { name = "sleep_analysis", units = "hr", data = new object[]
                {
                    new
                    {
                        date = "2026-11-20 00:00:00 +0100", sleepStart = "2026-11-19 23:10:00 +0100", sleepEnd = "2026-11-20 06:55:00 +0100",
                        inBedStart = "2026-11-19 22:50:00 +0100", inBedEnd = "2026-11-20 07:05:00 +0100", inBed = 8.0, totalSleep = 7.25, asleep = 0,
                        core = 3.75, deep = 1.5, rem = 2.0, awake = 0.5, source = "Apple Watch",
                    },
                } },
                new { name = "weight_body_mass", units = "lb", data = new object[] { new { date = "2026-11-20 07:30:00 +0100", qty = 165.3, source = "Withings" } } },
                new { name = "blood_pressure", units = "mmHg", data = new object[]
                {
                    new { date = "2026-11-20 07:35:00 +0100", systolic = 121, diastolic = 79, source = "Withings" },
                    new { date = "2026-11-20 07:40:00 +0100", systolic = 118, source = "Withings" },
                } },
                new { name = "heart_rate_variability", units = "ms", data = new object[] { new { date = "2026-11-20 03:00:00 +0100", qty = 48, source = "Apple Watch" } } },
                new { name = "mindful_minutes", units = "min", data = new object[] { new { date = "2026-11-20 12:00:00 +0100", qty = 10 } } },
            },
            workouts = new object[] { new { name = "Outdoor Walk", start = "2026-11-20 12:00:00 +0100", end = "2026-11-20 12:30:00 +0100" } },
        },
    };

    private static readonly DateTime Nov20 = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Export_IsStoredInCanonicalUnits_ValueByValue()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me, [ApiScopes.HealthWrite]), header: true);

        var response = await ApiHarness.PostJsonAsync(client, Url, Export());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHarness.JsonAsync(response);

        var samples = await api.App.WithDbAsync(db => db.SamplesOf(me).AsNoTracking().ToListAsync());
        Assert.All(samples, s => Assert.Equal(SampleSource.Api, s.Source));
        Assert.All(samples, s => Assert.StartsWith("hae:", s.SourceRecordId, StringComparison.Ordinal));
        List<Sample> Of(string metric) => [.. samples.Where(s => s.MetricCode == metric).OrderBy(s => s.StartUtc)];

        // Steps: hourly, at the hour's start in UTC, on the local day.
        var steps = Of(MetricCatalogue.Steps);
        Assert.Equal([412, 1250.5], steps.Select(s => s.Value));
        Assert.Equal([Nov20.AddHours(7), Nov20.AddHours(8)], steps.Select(s => s.StartUtc));
        Assert.All(steps, s => Assert.Equal(new DateOnly(2026, 11, 20), s.LocalDate));

        // Heart rate: the average per entry; Min and Max have no metric of their own.
        var heart = Of(MetricCatalogue.HeartRate);
        Assert.Equal([68.5, 72], heart.Select(s => s.Value));
        Assert.Equal(Nov20.AddHours(7), heart[0].StartUtc);
        Assert.Empty(Of(MetricCatalogue.RestingHeartRate));

        // Sleep: one night, on the day of waking up, stages in seconds, efficiency from time in bed.
        string[] sleepCodes = [MetricCatalogue.SleepDuration, MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake, MetricCatalogue.SleepEfficiency];
        var sleep = sleepCodes.ToDictionary(c => c, c => Assert.Single(Of(c)));
        Assert.Equal(7.25 * 3600, sleep[MetricCatalogue.SleepDuration].Value, 6);
        Assert.Equal(1.5 * 3600, sleep[MetricCatalogue.SleepDeep].Value, 6);
        Assert.Equal(3.75 * 3600, sleep[MetricCatalogue.SleepLight].Value, 6);
        Assert.Equal(2.0 * 3600, sleep[MetricCatalogue.SleepRem].Value, 6);
        Assert.Equal(0.5 * 3600, sleep[MetricCatalogue.SleepAwake].Value, 6);
        Assert.Equal(100 * 7.25 / 8.0, sleep[MetricCatalogue.SleepEfficiency].Value, 6);
        Assert.All(sleep.Values, s =>
        {
            Assert.Equal(new DateOnly(2026, 11, 20), s.LocalDate);
            Assert.True(s.DayFromSource);
            Assert.Equal(new DateTime(2026, 11, 19, 22, 10, 0), s.StartUtc);
            Assert.Equal(new DateTime(2026, 11, 20, 5, 55, 0), s.EndUtc);
        });

        // Weight: pounds to kilograms.
        Assert.Equal(165.3 * 0.45359237, Assert.Single(Of(MetricCatalogue.Weight)).Value, 9);

        // Blood pressure: the pair at one time; a reading without its diastolic is rejected.
        var systolic = Assert.Single(Of(MetricCatalogue.Systolic));
        var diastolic = Assert.Single(Of(MetricCatalogue.Diastolic));
        Assert.Equal((121, 79), (systolic.Value, diastolic.Value));
        Assert.Equal(systolic.StartUtc, diastolic.StartUtc);
        Assert.Equal(new DateTime(2026, 11, 20, 6, 35, 0), systolic.StartUtc);

        // Nothing else: HRV (SDNN) and an unknown metric are skipped, not stored.
        Assert.Equal(2 + 2 + 6 + 1 + 2, samples.Count);

        // Daily values follow.
        var daily = await api.App.WithDbAsync(db => db.DailyValues.AsNoTracking().Where(d => d.UserId == me).ToDictionaryAsync(d => d.MetricCode, d => d.Value));
        Assert.Equal(1662.5, daily[MetricCatalogue.Steps]);
        Assert.Equal(70.25, daily[MetricCatalogue.HeartRate]);
        Assert.Equal(7.25 * 3600, daily[MetricCatalogue.SleepDuration], 6);

        // The answer: totals and, per metric, counts with reasons.
        Assert.Equal(13, body.GetProperty("imported").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(3, body.GetProperty("skipped").GetInt32());
        var metrics = body.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(2, metrics["step_count"].GetProperty("imported").GetInt32());
        var bp = metrics["blood_pressure"];
        Assert.Equal((2, 2, 1), (bp.GetProperty("received").GetInt32(), bp.GetProperty("imported").GetInt32(), bp.GetProperty("rejected").GetInt32()));
        Assert.Contains("diastolic", bp.GetProperty("reasons")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, bp.GetProperty("reasons")[0].GetProperty("firstIndex").GetInt32());
        var hrv = metrics["heart_rate_variability"];
        Assert.Equal((1, 0), (hrv.GetProperty("skipped").GetInt32(), hrv.GetProperty("imported").GetInt32()));
        Assert.Contains("SDNN", hrv.GetProperty("reasons")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, metrics["mindful_minutes"].GetProperty("skipped").GetInt32());
        Assert.Equal(1, body.GetProperty("workouts").GetProperty("skipped").GetInt32());
    }

    [Fact]
    public async Task SameExport_SentTwice_IsStoredOnce_AndAGrownHourReplacesItsValue()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me, [ApiScopes.HealthWrite]));

        Assert.Equal(HttpStatusCode.OK, (await ApiHarness.PostJsonAsync(client, Url, Export())).StatusCode);
        var first = await api.App.WithDbAsync(db => db.SamplesOf(me).CountAsync());
        var again = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(client, Url, Export()));
        Assert.Equal(first, await api.App.WithDbAsync(db => db.SamplesOf(me).CountAsync()));
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
        Assert.Equal(first, again.GetProperty("unchanged").GetInt32());

        // The 09:00 hour grew since the last push (and another device joined): the hour is replaced, not added.
        var later = new { data = new { metrics = new[] { new { name = "step_count", units = "count", data = new[] { new { date = "2026-11-20 09:00:00 +0100", qty = 2000.0, source = "iPhone|Apple Watch|Oura" } } } } } };
        var update = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(client, Url, later));
        Assert.Equal(1, update.GetProperty("imported").GetInt32());
        Assert.Equal([412, 2000], await api.App.WithDbAsync(db => db.Samples.Where(s => s.MetricCode == "steps").OrderBy(s => s.StartUtc).Select(s => s.Value).ToListAsync()));
        Assert.Equal(2412, await api.App.WithDbAsync(db => db.DailyValues.Where(d => d.MetricCode == "steps").Select(d => d.Value).SingleAsync()));
    }

    [Fact]
    public async Task DailyGrouping_AndUnits_AreConverted()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me, [ApiScopes.HealthWrite]));
        var export = new
        {
            data = new
            {
                metrics = new object[]
                {
                    new { name = "active_energy", units = "kJ", data = new[] { new { date = "2026-11-19 00:00:00 +0100", qty = 2092.0 }, new { date = "2026-11-20 00:00:00 +0100", qty = 4184.0 } } },
                    new { name = "walking_running_distance", units = "mi", data = new[] { new { date = "2026-11-19 00:00:00 +0100", qty = 2.0 }, new { date = "2026-11-20 00:00:00 +0100", qty = 1.0 } } },
                    new { name = "blood_oxygen_saturation", units = "%", data = new[] { new { date = "2026-11-20 04:00:00 +0100", qty = 0.97 }, new { date = "2026-11-20 05:00:00 +0100", qty = 95.0 } } },
                    new { name = "resting_heart_rate", units = "count/min", data = new[] { new { date = "2026-11-20 00:00:00 +0100", qty = 52.0 } } },
                    new { name = "weight_body_mass", units = "stone-ish", data = new[] { new { date = "2026-11-20 07:00:00 +0100", qty = 11.0 } } },
                    new { name = "step_count", units = "count", data = new[] { new { date = "2026-12-24 10:00:00 +0100", qty = 10.0 }, new { date = "yesterday", qty = 10.0 } } },
                },
            },
        };
        var body = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(client, Url, export));
        var daily = await api.App.WithDbAsync(db => db.DailyValues.AsNoTracking().Where(d => d.UserId == me).Select(d => new { d.MetricCode, d.LocalDate, d.Value }).ToListAsync());
        double Day(string metric, int day) => daily.Single(d => d.MetricCode == metric && d.LocalDate == new DateOnly(2026, 11, day)).Value;
        Assert.Equal(500, Day(MetricCatalogue.ActiveCalories, 19), 9);
        Assert.Equal(1000, Day(MetricCatalogue.ActiveCalories, 20), 9);
        Assert.Equal(3218.688, Day(MetricCatalogue.Distance, 19), 6);
        Assert.Equal(1609.344, Day(MetricCatalogue.Distance, 20), 6);
        Assert.Equal(96, Day(MetricCatalogue.Spo2, 20), 9);
        Assert.Equal(52, Day(MetricCatalogue.RestingHeartRate, 20));

        var metrics = body.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(1, metrics["weight_body_mass"].GetProperty("rejected").GetInt32());
        Assert.Contains("stone-ish", metrics["weight_body_mass"].GetProperty("reasons")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var steps = metrics["step_count"];
        Assert.Equal(2, steps.GetProperty("rejected").GetInt32());
        Assert.Equal(2, steps.GetProperty("reasons").GetArrayLength());
        Assert.DoesNotContain(daily, d => d.MetricCode == MetricCatalogue.Steps || d.MetricCode == MetricCatalogue.Weight);
    }

    [Fact]
    public async Task WrongScope_Is403_AndMalformedJson_Is400ProblemDetails()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        using var reader = api.Client(await api.KeyAsync(me, [ApiScopes.HealthRead]));
        var refused = await ApiHarness.PostJsonAsync(reader, Url, Export());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await api.App.WithDbAsync(db => db.Samples.CountAsync()));

        using var anonymous = api.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiHarness.PostJsonAsync(anonymous, Url, Export())).StatusCode);

        using var writer = api.Client(await api.KeyAsync(me, [ApiScopes.HealthWrite]));
        using var notJson = new StringContent("{\"data\": {\"metrics\": [", System.Text.Encoding.UTF8, "application/json");
        var malformed = await writer.PostAsync(Url, notJson, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await ApiHarness.JsonAsync(malformed)).GetProperty("status").GetInt32());

        var noData = await ApiHarness.PostJsonAsync(writer, Url, new { metrics = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.True((await ApiHarness.JsonAsync(noData)).GetProperty("errors").TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Pushes_LandOnlyInTheKeyOwnersAccount()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        var (other, _) = await api.PersonAsync("other@example.com");
        using var theirs = api.Client(await api.KeyAsync(other, [ApiScopes.HealthWrite]));
        Assert.Equal(HttpStatusCode.OK, (await ApiHarness.PostJsonAsync(theirs, Url, Export())).StatusCode);

        // The same export from me: my own copy, theirs untouched.
        using var mine = api.Client(await api.KeyAsync(me, [ApiScopes.HealthWrite]));
        var body = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(mine, Url, Export()));
        Assert.Equal(13, body.GetProperty("imported").GetInt32());
        var counts = await api.App.WithDbAsync(db => db.Samples.Join(db.UserNumbers, s => s.UserNumber, n => n.Number, (s, n) => n.UserId).GroupBy(u => u).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal(13, counts[me]);
        Assert.Equal(13, counts[other]);

        using var myReader = api.Client(await api.KeyAsync(me, [ApiScopes.HealthRead]));
        var page = await ApiHarness.JsonAsync(await myReader.GetAsync("/api/v1/samples?limit=100", ApiHarness.Ct));
        Assert.Equal(13, page.GetProperty("items").GetArrayLength());
    }
}
