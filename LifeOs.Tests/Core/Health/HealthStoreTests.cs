using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LifeOs.Tests.Core.Health;

/// <summary>Provider-neutral: every test runs on SQLite and on PostgreSQL, whose write paths are separate code.</summary>
public sealed class HealthStoreTests : IDisposable
{
    private static readonly DateOnly March1 = new(2026, 3, 1);
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;
    private HealthStore store = null!;

    /// <summary>Each test starts here: a migrated database of its own on the engine, with ada in Paris and bob in New York.</summary>
    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
        AddUser("ada", "Europe/Paris", dayStartHour: 0);
        AddUser("bob", "America/New_York", dayStartHour: 0);
        store = new HealthStore(db, new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero)), new SourcePriorityService(db));
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
    }

    private void AddUser(string id, string zone, int dayStartHour)
    {
        db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = zone, DayStartHour = dayStartHour, CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
        db.ChangeTracker.Clear();
    }

    private static SampleInput Steps(string id, DateTime startUtc, double value, SampleSource source = SampleSource.Oura) =>
        new(MetricCatalogue.Steps, source, id, startUtc, value);

    private async Task<double?> DayAsync(string user, string metric, DateOnly day) =>
        (await store.GetDailyValuesAsync(user, metric, day, day, TestContext.Current.CancellationToken)).SingleOrDefault()?.Value;

    private static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Upsert_SameRecordsTwice_ChangesNothing_AndCreatesNoDuplicates(Engine engine)
    {
        On(engine);
        var batch = new[] { Steps("a", Utc(1, 9), 4000), Steps("b", Utc(1, 15), 3000), Steps("c", Utc(2, 9), 5000) };
        var first = await store.UpsertSamplesAsync("ada", batch, TestContext.Current.CancellationToken);
        var second = await store.UpsertSamplesAsync("ada", batch, TestContext.Current.CancellationToken);

        Assert.Equal(new UpsertResult(3, 0, 0, 0, 2), first);
        Assert.Equal(new UpsertResult(0, 0, 3, 0, 0), second);
        Assert.Equal(3, await db.Samples.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(7000, await DayAsync("ada", MetricCatalogue.Steps, March1));
    }

    /// <summary>
    /// The SQLite upsert writes what every row of a call shares into its statement and binds the rest per row: a call whose
    /// rows differ in each of those columns stores each row's own, and one whose rows agree stores the shared value.
    /// </summary>
    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task EachRowKeepsItsOwnValues_WhetherTheCallsRowsShareThemOrNot(Engine engine)
    {
        On(engine);
        SampleInput[] mixed =
        [
            new(MetricCatalogue.Steps, SampleSource.Oura, "a", Utc(1, 9), 4000, LocalDate: March1, ImportBatchId: 7),
            new(MetricCatalogue.Weight, SampleSource.Withings, "b", Utc(1, 10), 72.5, EndUtc: Utc(1, 10, 1)),
            new(MetricCatalogue.HeartRate, SampleSource.Oura, "c", Utc(1, 11), 61, ImportBatchId: 8),
        ];
        SampleInput[] shared =
        [
            new(MetricCatalogue.Steps, SampleSource.Import, "d", Utc(2, 9), 10, EndUtc: Utc(2, 10), LocalDate: March1.AddDays(1), ImportBatchId: 9),
            new(MetricCatalogue.Steps, SampleSource.Import, "e", Utc(2, 11), 20, EndUtc: Utc(2, 10), LocalDate: March1.AddDays(1), ImportBatchId: 9),
        ];
        Assert.Equal(3, (await store.UpsertSamplesAsync("ada", mixed, TestContext.Current.CancellationToken)).Inserted);
        Assert.Equal(2, (await store.UpsertSamplesAsync("ada", shared, TestContext.Current.CancellationToken)).Inserted);

        var rows = (await db.SamplesOf("ada").AsNoTracking().ToListAsync(TestContext.Current.CancellationToken)).ToDictionary(s => s.SourceRecordId);
        Assert.Equal((MetricCatalogue.Steps, SampleSource.Oura, (DateTime?)null, true, (long?)7, 4000.0), Row(rows["a"]));
        Assert.Equal((MetricCatalogue.Weight, SampleSource.Withings, Utc(1, 10, 1), false, (long?)null, 72.5), Row(rows["b"]));
        Assert.Equal((MetricCatalogue.HeartRate, SampleSource.Oura, (DateTime?)null, false, (long?)8, 61.0), Row(rows["c"]));
        Assert.Equal((MetricCatalogue.Steps, SampleSource.Import, Utc(2, 10), true, (long?)9, 10.0), Row(rows["d"]));
        Assert.Equal((MetricCatalogue.Steps, SampleSource.Import, Utc(2, 10), true, (long?)9, 20.0), Row(rows["e"]));
        Assert.Equal(March1.AddDays(1), rows["e"].LocalDate);

        static (string, SampleSource, DateTime?, bool, long?, double) Row(Sample s) => (s.MetricCode, s.Source, s.EndUtc, s.DayFromSource, s.ImportBatchId, s.Value);
    }

    /// <summary>A bulk batch leaves the log to the checkpointer while it commits, and gives the connection SQLite's default bound back.</summary>
    [Fact]
    public async Task BulkUpsert_PutsSqlitesCheckpointBoundBack()
    {
        On(Engine.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        var minutes = Enumerable.Range(0, HealthStore.BulkRows)
            .Select(m => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, $"hr-{m}", Utc(1, 0).AddMinutes(m), 60))
            .ToList();

        Assert.Equal(HealthStore.BulkRows, (await store.UpsertSamplesAsync("ada", minutes, ct)).Inserted);

        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";
        Assert.Equal(1000L, await command.ExecuteScalarAsync(ct));
        await db.Database.CloseConnectionAsync();
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task LocalDay_FollowsTheUsersTimeZone_AndDayStartHour(Engine engine)
    {
        On(engine);
        // 23:30 UTC on 1 March is 00:30 on 2 March in Paris.
        await store.UpsertSamplesAsync("ada", [Steps("late", Utc(1, 23, 30), 1200)], TestContext.Current.CancellationToken);
        Assert.Null(await DayAsync("ada", MetricCatalogue.Steps, March1));
        Assert.Equal(1200, await DayAsync("ada", MetricCatalogue.Steps, March1.AddDays(1)));

        // The same instant for someone whose day starts at 03:00 still belongs to 1 March.
        AddUser("owl", "Europe/Paris", dayStartHour: 3);
        await store.UpsertSamplesAsync("owl", [Steps("late", Utc(1, 23, 30), 1200)], TestContext.Current.CancellationToken);
        Assert.Equal(1200, await DayAsync("owl", MetricCatalogue.Steps, March1));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ExplicitLocalDate_WinsOverTheInstant_ForSleepThatBelongsToTheWakingDay(Engine engine)
    {
        On(engine);
        var sleep = new SampleInput(MetricCatalogue.SleepDuration, SampleSource.Oura, "night-1", Utc(1, 22), 7.5 * 3600, Utc(2, 6), LocalDate: March1.AddDays(1));
        await store.UpsertSamplesAsync("ada", [sleep], TestContext.Current.CancellationToken);
        Assert.Equal(7.5 * 3600, await DayAsync("ada", MetricCatalogue.SleepDuration, March1.AddDays(1)));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task SeveralSources_TheDayComesFromTheHighestPrioritySource_NeverASum(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada",
        [
            Steps("oura-1", Utc(1, 12), 8000),
            Steps("manual-1", Utc(1, 18), 500, SampleSource.Manual),
            new(MetricCatalogue.Weight, SampleSource.Manual, "m-w", Utc(1, 7), 71.0),
            new(MetricCatalogue.Weight, SampleSource.Withings, "w-w", Utc(1, 6), 70.4),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(8000, await DayAsync("ada", MetricCatalogue.Steps, March1));
        Assert.Equal(70.4, await DayAsync("ada", MetricCatalogue.Weight, March1));
        var steps = await db.DailyValues.SingleAsync(d => d.MetricCode == MetricCatalogue.Steps, TestContext.Current.CancellationToken);
        Assert.Equal(SampleSource.Oura, steps.Source);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Aggregations_LastMeanAndMin_PerMetric(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada",
        [
            new(MetricCatalogue.Weight, SampleSource.Withings, "w1", Utc(1, 6), 70.0),
            new(MetricCatalogue.Weight, SampleSource.Withings, "w2", Utc(1, 20), 70.8),
            new(MetricCatalogue.Systolic, SampleSource.Withings, "bp1", Utc(1, 7), 120),
            new(MetricCatalogue.Systolic, SampleSource.Withings, "bp2", Utc(1, 19), 130),
            new(MetricCatalogue.RestingHeartRate, SampleSource.Oura, "r1", Utc(1, 3), 55),
            new(MetricCatalogue.RestingHeartRate, SampleSource.Oura, "r2", Utc(1, 14), 52),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(70.8, await DayAsync("ada", MetricCatalogue.Weight, March1));
        Assert.Equal(125, await DayAsync("ada", MetricCatalogue.Systolic, March1));
        Assert.Equal(52, await DayAsync("ada", MetricCatalogue.RestingHeartRate, March1));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ChangedSample_RecomputesExactlyItsDays_IncludingTheDayItLeft(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada", [Steps("a", Utc(1, 9), 4000), Steps("b", Utc(2, 9), 5000), Steps("c", Utc(3, 9), 6000)], TestContext.Current.CancellationToken);

        var edited = await store.UpsertSamplesAsync("ada", [Steps("a", Utc(1, 9), 4100), Steps("b", Utc(2, 9), 5000)], TestContext.Current.CancellationToken);
        Assert.Equal(new UpsertResult(0, 1, 1, 0, 1), edited);
        Assert.Equal(4100, await DayAsync("ada", MetricCatalogue.Steps, March1));

        // Record "c" moves from 3 March to 4 March: 3 March has no value left.
        var moved = await store.UpsertSamplesAsync("ada", [Steps("c", Utc(4, 9), 6000)], TestContext.Current.CancellationToken);
        Assert.Equal(2, moved.DaysRecomputed);
        Assert.Null(await DayAsync("ada", MetricCatalogue.Steps, March1.AddDays(2)));
        Assert.Equal(6000, await DayAsync("ada", MetricCatalogue.Steps, March1.AddDays(3)));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task InvalidValues_AreRejected_AndTheRestIsWritten(Engine engine)
    {
        On(engine);
        var result = await store.UpsertSamplesAsync("ada",
        [
            new(MetricCatalogue.Weight, SampleSource.Manual, "too-heavy", Utc(1, 7), 900),
            new("shoe_size", SampleSource.Manual, "unknown", Utc(1, 7), 42),
            new(MetricCatalogue.Spo2, SampleSource.Oura, "nan", Utc(1, 7), double.NaN),
            Steps("ok", Utc(1, 9), 100),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(new UpsertResult(1, 0, 0, 3, 1), result);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ASourcesDay_UpToTwoDaysFromTheStart_Counts_AndOneFurtherOut_IsRejected(Engine engine)
    {
        On(engine);
        // A night that began two days before the day it is filed under (the edge a day's recompute reads), one filed two days
        // before its start, and one three days off (a source's bug): the last would never be found by its day.
        var result = await store.UpsertSamplesAsync("ada",
        [
            new(MetricCatalogue.SleepDuration, SampleSource.Oura, "two-days-before", Utc(1, 0, 1), 7 * 3600, LocalDate: March1.AddDays(2)),
            new(MetricCatalogue.SleepDuration, SampleSource.Oura, "two-days-after", Utc(5, 23, 59), 6 * 3600, LocalDate: March1.AddDays(2)),
            new(MetricCatalogue.SleepDuration, SampleSource.Oura, "far", Utc(1, 23), 5 * 3600, LocalDate: March1.AddDays(3)),
            Steps("ok", Utc(1, 9), 100),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(new UpsertResult(3, 0, 0, 1, 2), result);
        Assert.Equal(13 * 3600, await DayAsync("ada", MetricCatalogue.SleepDuration, March1.AddDays(2)));
        Assert.Null(await DayAsync("ada", MetricCatalogue.SleepDuration, March1.AddDays(3)));

        // Excluding one of them recomputes the day through the same window.
        var late = await db.Samples.SingleAsync(s => s.SourceRecordId == "two-days-before", TestContext.Current.CancellationToken);
        await store.SetExcludedAsync("ada", [late.Id], excluded: true, TestContext.Current.CancellationToken);
        Assert.Equal(6 * 3600, await DayAsync("ada", MetricCatalogue.SleepDuration, March1.AddDays(2)));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ReadDaily_EachMetricOldestFirst_WithinTheRange_OnlyTheUsersOwn(Engine engine)
    {
        On(engine);
        // Written newest first, so the order read back is the query's, not the insertion's.
        await store.UpsertSamplesAsync("ada",
        [
            Steps("s4", Utc(4, 12), 4000), Steps("s3", Utc(3, 12), 3000), Steps("s2", Utc(2, 12), 2000), Steps("s1", Utc(1, 12), 1000),
            new(MetricCatalogue.Weight, SampleSource.Withings, "w3", Utc(3, 7), 70.3),
            new(MetricCatalogue.Weight, SampleSource.Withings, "w2", Utc(2, 7), 70.2),
        ], TestContext.Current.CancellationToken);
        await store.UpsertSamplesAsync("bob", [Steps("s2", Utc(2, 17), 9999), new(MetricCatalogue.Weight, SampleSource.Withings, "w2", Utc(2, 17), 99)], TestContext.Current.CancellationToken);

        var read = await store.ReadDailyAsync("ada", [MetricCatalogue.Steps, MetricCatalogue.Weight, MetricCatalogue.Steps, MetricCatalogue.Systolic],
            March1.AddDays(1), March1.AddDays(2), TestContext.Current.CancellationToken);

        Assert.Equal([MetricCatalogue.Steps, MetricCatalogue.Weight, MetricCatalogue.Systolic], read.Keys);
        Assert.Equal([(March1.AddDays(1), 2000d), (March1.AddDays(2), 3000d)], read[MetricCatalogue.Steps]);
        Assert.Equal([(March1.AddDays(1), 70.2), (March1.AddDays(2), 70.3)], read[MetricCatalogue.Weight]);
        Assert.Empty(read[MetricCatalogue.Systolic]);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Users_AreIsolated_EvenWithTheSameSourceRecordIds(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada", [Steps("shared-id", Utc(1, 12), 1000)], TestContext.Current.CancellationToken);
        await store.UpsertSamplesAsync("bob", [Steps("shared-id", Utc(1, 17), 9999)], TestContext.Current.CancellationToken);

        Assert.Equal(1000, await DayAsync("ada", MetricCatalogue.Steps, March1));
        Assert.Equal(9999, await DayAsync("bob", MetricCatalogue.Steps, March1));
        Assert.Equal(0, await store.DeleteSamplesAsync("bob", SampleSource.Manual, ["shared-id"], TestContext.Current.CancellationToken));
        Assert.Equal(1, await store.DeleteSamplesAsync("ada", SampleSource.Oura, ["shared-id"], TestContext.Current.CancellationToken));
        Assert.Null(await DayAsync("ada", MetricCatalogue.Steps, March1));
        Assert.Equal(9999, await DayAsync("bob", MetricCatalogue.Steps, March1));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ReorderingSources_RecomputesEveryDay_AndOnlyForThatUser(Engine engine)
    {
        On(engine);
        var ct = TestContext.Current.CancellationToken;
        foreach (var user in new[] { "ada", "bob" })
        {
            await store.UpsertSamplesAsync(user,
            [
                Steps("oura-1", Utc(1, 12), 8000),
                Steps("manual-1", Utc(1, 13), 9500, SampleSource.Manual),
                Steps("oura-2", Utc(2, 12), 6000),
            ], ct);
        }

        // Past the phone's steps through Withings, Withings and Oura.
        Assert.True(await store.MoveSourceAsync("ada", MetricGroup.Activity, SampleSource.Manual, -1, ct));
        Assert.True(await store.MoveSourceAsync("ada", MetricGroup.Activity, SampleSource.Manual, -1, ct));
        Assert.True(await store.MoveSourceAsync("ada", MetricGroup.Activity, SampleSource.Manual, -1, ct));
        Assert.False(await store.MoveSourceAsync("ada", MetricGroup.Activity, SampleSource.Manual, -1, ct)); // already first

        Assert.Equal(9500, await DayAsync("ada", MetricCatalogue.Steps, March1));
        Assert.Equal(6000, await DayAsync("ada", MetricCatalogue.Steps, March1.AddDays(1))); // only Oura that day
        Assert.Equal(8000, await DayAsync("bob", MetricCatalogue.Steps, March1));

        // A new sample after the reorder follows the user's order too.
        await store.UpsertSamplesAsync("ada", [Steps("manual-2", Utc(2, 13), 100, SampleSource.Manual)], ct);
        Assert.Equal(100, await DayAsync("ada", MetricCatalogue.Steps, March1.AddDays(1)));

        await store.ResetSourcesAsync("ada", MetricGroup.Activity, ct);
        Assert.Equal(8000, await DayAsync("ada", MetricCatalogue.Steps, March1));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task DayBoundaries_AcrossTheDstChange_FollowLocalMidnight(Engine engine)
    {
        On(engine);
        var ct = TestContext.Current.CancellationToken;
        // Europe/Paris moves to summer time on 29 March 2026 at 01:00 UTC (02:00 -> 03:00 local).
        await store.UpsertSamplesAsync("ada",
        [
            Steps("before", new DateTime(2026, 3, 28, 22, 59, 0, DateTimeKind.Utc), 10), // 23:59 CET, 28th
            Steps("after-midnight", new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), 20), // 00:00 CET, 29th
            Steps("summer-late", new DateTime(2026, 3, 29, 21, 59, 0, DateTimeKind.Utc), 40), // 23:59 CEST, 29th
            Steps("summer-next", new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), 80), // 00:00 CEST, 30th
        ], ct);

        Assert.Equal(10, await DayAsync("ada", MetricCatalogue.Steps, new DateOnly(2026, 3, 28)));
        Assert.Equal(60, await DayAsync("ada", MetricCatalogue.Steps, new DateOnly(2026, 3, 29)));
        Assert.Equal(80, await DayAsync("ada", MetricCatalogue.Steps, new DateOnly(2026, 3, 30)));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task DeletingASource_RemovesOnlyItsSamples_AndTheNextSourceTakesOver(Engine engine)
    {
        On(engine);
        var ct = TestContext.Current.CancellationToken;
        await store.UpsertSamplesAsync("ada", [Steps("oura-1", Utc(1, 12), 8000), Steps("manual-1", Utc(1, 13), 500, SampleSource.Manual)], ct);

        Assert.Equal(1, await store.DeleteSourceAsync("ada", SampleSource.Oura, ct));
        Assert.Equal(500, await DayAsync("ada", MetricCatalogue.Steps, March1));
        var sample = await db.Samples.AsNoTracking().SingleAsync(ct);
        Assert.Equal((SampleSource.Manual, Utc(1, 13), DateTimeKind.Utc), (sample.Source, sample.StartUtc, sample.StartUtc.Kind));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task DeletingAUser_RemovesTheirSamplesAndDailyValues(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada", [Steps("a", Utc(1, 12), 1000)], TestContext.Current.CancellationToken);
        await store.UpsertSamplesAsync("bob", [Steps("b", Utc(1, 17), 2000)], TestContext.Current.CancellationToken);
        await db.Users.Where(u => u.Id == "ada").ExecuteDeleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["bob"], await db.Samples.Select(s => db.UserNumbers.Single(n => n.Number == s.UserNumber).UserId).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["bob"], await db.DailyValues.Select(s => s.UserId).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ChangingTheTimeZone_MovesWorkedOutDays_KeepsSourceDays_AndRecomputesBoth(Engine engine)
    {
        On(engine);
        var ct = TestContext.Current.CancellationToken;
        // 00:30 on 2 March in Paris; 18:30 on 1 March in New York.
        SampleInput[] batch =
        [
            new(MetricCatalogue.HeartRate, SampleSource.Oura, "hr-1", Utc(1, 23, 30), 58),
            new(MetricCatalogue.HeartRate, SampleSource.Oura, "hr-2", Utc(2, 12), 70),
            new(MetricCatalogue.Weight, SampleSource.Manual, "w-1", Utc(1, 23, 30), 70.2),
            new(MetricCatalogue.SleepScore, SampleSource.Oura, "sleep-1", Utc(1, 23, 30), 81, LocalDate: March1.AddDays(1)),
        ];
        await store.UpsertSamplesAsync("ada", batch, ct);
        await store.UpsertSamplesAsync("bob", batch, ct);
        Assert.Equal(64, await DayAsync("ada", MetricCatalogue.HeartRate, March1.AddDays(1)));

        var settings = new UserSettingsService(db, store, TestWork.Queue(db, TimeProvider.System), TestWork.Options());
        var result = await settings.UpdateAsync("ada", new UserSettings("America/New_York", UnitSystem.Metric, 0), ct);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.SamplesMoved);
        Assert.Equal(58, await DayAsync("ada", MetricCatalogue.HeartRate, March1));
        Assert.Equal(70, await DayAsync("ada", MetricCatalogue.HeartRate, March1.AddDays(1)));
        Assert.Equal(70.2, await DayAsync("ada", MetricCatalogue.Weight, March1));
        Assert.Null(await DayAsync("ada", MetricCatalogue.Weight, March1.AddDays(1)));
        Assert.Equal(81, await DayAsync("ada", MetricCatalogue.SleepScore, March1.AddDays(1)));

        // Syncing the same records again agrees with the new days; bob, still in New York, never moved.
        Assert.Equal(new UpsertResult(0, 0, 4, 0, 0), await store.UpsertSamplesAsync("ada", batch, ct));
        Assert.Equal(58, await DayAsync("bob", MetricCatalogue.HeartRate, March1));
        Assert.Equal(3, await db.SamplesOf("bob").CountAsync(s => !s.DayFromSource, ct));

        // Units alone move nothing.
        Assert.Equal(0, (await settings.UpdateAsync("ada", new UserSettings("America/New_York", UnitSystem.Imperial, 0), ct)).SamplesMoved);
        var owl = await settings.UpdateAsync("ada", new UserSettings("Asia/Tokyo", UnitSystem.Imperial, 6), ct);
        // In Tokyo, with days from 06:00, 23:30 UTC is 08:30 on 2 March: the late heart rate and the
        // weight move to 2 March; 12:00 UTC is 21:00 on 2 March, so the noon heart rate stays.
        Assert.Equal(2, owl.SamplesMoved);
        Assert.Equal(64, await DayAsync("ada", MetricCatalogue.HeartRate, March1.AddDays(1)));
        Assert.Null(await DayAsync("ada", MetricCatalogue.HeartRate, March1));
    }

    /// <summary>
    /// PostgreSQL first COPYs a batch as if all of it were new. Another writer storing one of its records at the same time
    /// (its transaction still open while this batch is copied) must end with that record updated, not a duplicate and not
    /// an error: the COPY waits on the unique index, fails when the other commits, and the batch is written again by
    /// INSERT … ON CONFLICT.
    /// </summary>
    [Fact]
    public async Task Postgres_ARecordAnotherWriterStoresMeanwhile_IsUpdated_NotDuplicated()
    {
        On(Engine.PostgreSql);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync(cancellationToken);
        await using (var number = new NpgsqlCommand("""INSERT INTO "UserNumbers" ("UserId") VALUES ('ada')""", other))
        {
            await number.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var otherTransaction = await other.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO "Samples" ("UserNumber", "Metric", "Source", "SourceRecordId", "StartUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt")
            VALUES ((SELECT "Number" FROM "UserNumbers" WHERE "UserId" = 'ada'), @metric, @source, 'a', @start, @day, false, 100, now())
            """, other, otherTransaction))
        {
            insert.Parameters.AddWithValue("metric", MetricCatalogue.StoredNumber(MetricCatalogue.Steps));
            insert.Parameters.AddWithValue("source", (int)SampleSource.Oura);
            insert.Parameters.AddWithValue("start", Utc(1, 9));
            insert.Parameters.AddWithValue("day", March1);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var upsert = store.UpsertSamplesAsync("ada", [Steps("a", Utc(1, 9), 4000), Steps("b", Utc(1, 15), 3000)], cancellationToken);
        await using (var watcher = new NpgsqlConnection(database.ConnectionString))
        {
            // The batch's COPY waits on the unique index for the other transaction.
            await watcher.OpenAsync(cancellationToken);
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
            while ((long)(await waiting.ExecuteScalarAsync(cancellationToken))! == 0 && !upsert.IsCompleted)
            {
                await Task.Delay(10, cancellationToken);
            }
        }

        Assert.False(upsert.IsCompleted);
        await otherTransaction.CommitAsync(cancellationToken);

        Assert.Equal(new UpsertResult(1, 1, 0, 0, 1), await upsert);
        var stored = await db.Samples.OrderBy(s => s.SourceRecordId).Select(s => new { s.SourceRecordId, s.Value }).ToListAsync(cancellationToken);
        Assert.Equal([("a", 4000.0), ("b", 3000.0)], stored.Select(s => (s.SourceRecordId, s.Value)));
        Assert.Equal(7000, await DayAsync("ada", MetricCatalogue.Steps, March1));
    }
}

public sealed class MetricCatalogueTests
{
    [Fact]
    public void Catalogue_HasUniqueCodes_AndEveryMetricTheIssueNames()
    {
        Assert.Equal(MetricCatalogue.All.Count, MetricCatalogue.All.Select(m => m.Code).Distinct().Count());
        Assert.True(MetricCatalogue.All.Count >= 28);
        Assert.Null(MetricCatalogue.Get(MetricCatalogue.HrvRmssd).Loinc); // RMSSD is not LOINC 80404-7 (SDNN)
        Assert.Equal("29463-7", MetricCatalogue.Get(MetricCatalogue.Weight).Loinc);
    }

    [Theory]
    [InlineData(MetricCatalogue.Weight, 70.0, 154.32)]
    [InlineData(MetricCatalogue.BodyTemperatureDeviation, 0.5, 0.9)]
    [InlineData(MetricCatalogue.Distance, 1609.344, 1.0)]
    public void Imperial_DisplayConversion_RoundTrips(string code, double canonical, double imperial)
    {
        var unit = MetricCatalogue.Get(code).DisplayFor(UnitSystem.Imperial);
        Assert.Equal(imperial, unit.FromCanonical(canonical), 2);
        Assert.Equal(canonical, unit.ToCanonical(unit.FromCanonical(canonical)), 9);
    }

}
