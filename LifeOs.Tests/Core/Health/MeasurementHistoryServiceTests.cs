using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Health;

/// <summary>The measurement history over thousands of rows of several sources: keyset pages, filters, counts, fixing, isolation; and outliers.</summary>
public sealed class MeasurementHistoryServiceTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;
    private HealthStore store = null!;
    private MeasurementHistoryService history = null!;
    private OutlierService outliers = null!;

    /// <summary>Each test starts here, on a migrated database of its own on the engine.</summary>
    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
        foreach (var id in new[] { "ada", "bob" })
        {
            db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = "Europe/Berlin", CreatedAt = DateTime.UtcNow });
        }

        db.SaveChanges();
        db.ChangeTracker.Clear();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 11, 30, 0, TimeSpan.Zero));
        store = new HealthStore(db, time, new SourcePriorityService(db));
        history = new MeasurementHistoryService(db, store, time, TestDatabase.AuditLog(db, time));
        outliers = new OutlierService(db, time);
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Ada: 10,200 Oura heart rates (every 10 minutes), 300 typed-in weights, 200 imported weights and 100 Withings weights; Bob: 50 typed-in weights.</summary>
    private async Task SeedAsync()
    {
        var hr = Enumerable.Range(0, 10_200).Select(i => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, $"hr-{i}", Start.AddMinutes(i * 10), 60 + (i % 20)));
        var manual = Enumerable.Range(0, 300).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"m-{i}", Start.AddHours(i * 5).AddMinutes(7), 72 + (i % 5 * 0.1)));
        var imported = Enumerable.Range(0, 200).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Import, $"i-{i}", Start.AddHours(i * 7).AddMinutes(3), 72.5));
        var withings = Enumerable.Range(0, 100).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, $"w-{i}", Start.AddHours(i * 11).AddMinutes(1), 72.2));
        await store.UpsertSamplesAsync("ada", [.. hr, .. manual, .. imported, .. withings], Ct);
        await store.UpsertSamplesAsync("bob", [.. Enumerable.Range(0, 50).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"b-{i}", Start.AddDays(i), 90))], Ct);
    }

    private async Task<List<MeasurementRow>> AllPagesAsync(HistoryQuery query)
    {
        var rows = new List<MeasurementRow>();
        HistoryCursor? after = null;
        do
        {
            var page = await history.ListAsync("ada", query with { After = after, PageSize = 200 }, Ct);
            rows.AddRange(page.Rows);
            after = page.Next;
        }
        while (after is not null);
        return rows;
    }

    /// <summary>In UTC (Berlin's clocks go back on 25 October, so local times repeat an hour).</summary>
    private async Task<bool> NewestFirstAsync(List<MeasurementRow> rows)
    {
        var at = await db.SamplesOf("ada").ToDictionaryAsync(s => s.Id, s => (s.StartUtc, s.Id), Ct);
        return rows.Zip(rows.Skip(1)).All(p => at[p.First.Id].CompareTo(at[p.Second.Id]) > 0);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task List_PagesThroughEveryRowOnce_InTimeOrder_BothWays(Engine engine)
    {
        On(engine);
        await SeedAsync();

        var newest = await AllPagesAsync(new HistoryQuery());
        var oldest = await AllPagesAsync(new HistoryQuery(OldestFirst: true));

        Assert.Equal(10_800, newest.Count);
        Assert.Equal(newest.Count, newest.Select(r => r.Id).Distinct().Count());
        Assert.True(await NewestFirstAsync(newest));
        Assert.Equal(newest.Select(r => r.Id).Reverse(), oldest.Select(r => r.Id));
        Assert.DoesNotContain(newest, r => r.DisplayValue == 90);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task List_FirstPage_CountsNoFurtherThanTheLimit_AndSaysThereIsMore(Engine engine)
    {
        On(engine);
        await SeedAsync();

        var page = await history.ListAsync("ada", new HistoryQuery(), Ct);

        Assert.Equal(25, page.Rows.Count);
        Assert.NotNull(page.Next);
        Assert.Equal((MeasurementHistoryService.CountLimit, true), (page.Matching, page.MoreThanCounted));
    }

    [Theory]
    [InlineData(MetricCatalogue.Weight, null, null, 600, Engine.Sqlite)]
    [InlineData(MetricCatalogue.HeartRate, null, null, 10_200, Engine.Sqlite)]
    [InlineData(null, null, MeasurementKind.Manual, 300, Engine.Sqlite)]
    [InlineData(null, null, MeasurementKind.Imported, 200, Engine.Sqlite)]
    [InlineData(null, null, MeasurementKind.Synced, 10_300, Engine.Sqlite)]
    [InlineData(null, SampleSource.Withings, null, 100, Engine.Sqlite)]
    [InlineData(MetricCatalogue.Weight, null, MeasurementKind.Synced, 100, Engine.Sqlite)]
    [InlineData(MetricCatalogue.HeartRate, null, MeasurementKind.Manual, 0, Engine.Sqlite)]
    [InlineData(MetricCatalogue.Weight, null, null, 600, Engine.PostgreSql)]
    [InlineData(MetricCatalogue.HeartRate, null, null, 10_200, Engine.PostgreSql)]
    [InlineData(null, null, MeasurementKind.Manual, 300, Engine.PostgreSql)]
    [InlineData(null, null, MeasurementKind.Imported, 200, Engine.PostgreSql)]
    [InlineData(null, null, MeasurementKind.Synced, 10_300, Engine.PostgreSql)]
    [InlineData(null, SampleSource.Withings, null, 100, Engine.PostgreSql)]
    [InlineData(MetricCatalogue.Weight, null, MeasurementKind.Synced, 100, Engine.PostgreSql)]
    [InlineData(MetricCatalogue.HeartRate, null, MeasurementKind.Manual, 0, Engine.PostgreSql)]
    public async Task List_Filters_ByMetricSourceAndKind(string? metric, SampleSource? source, MeasurementKind? kind, int expected, Engine engine)
    {
        On(engine);
        await SeedAsync();

        var rows = await AllPagesAsync(new HistoryQuery(metric, source, kind));
        var first = await history.ListAsync("ada", new HistoryQuery(metric, source, kind), Ct);

        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.True((metric is null || r.MetricCode == metric) && (source is null || r.Source == source)
            && (kind is null || MeasurementHistoryService.KindOf(r.Source) == kind)));
        Assert.True(await NewestFirstAsync(rows));
        Assert.Equal(Math.Min(expected, MeasurementHistoryService.CountLimit), first.Matching);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task List_DateRange_IsTheUsersCalendarDays(Engine engine)
    {
        On(engine);
        await SeedAsync();

        var rows = await AllPagesAsync(new HistoryQuery(MetricCatalogue.Weight, From: new DateOnly(2026, 9, 10), To: new DateOnly(2026, 9, 12)));

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.InRange(DateOnly.FromDateTime(r.LocalTime), new DateOnly(2026, 9, 10), new DateOnly(2026, 9, 12)));
        var expected = await db.SamplesOf("ada").CountAsync(s => s.MetricCode == MetricCatalogue.Weight
            && s.StartUtc >= new DateTime(2026, 9, 9, 22, 0, 0) && s.StartUtc < new DateTime(2026, 9, 12, 22, 0, 0), Ct);
        Assert.Equal(expected, rows.Count);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Delete_Many_RemovesOnlyTheUsersTypedInAndImportedRows_AndRecomputesTheirDays(Engine engine)
    {
        On(engine);
        await SeedAsync();
        var weights = (await history.ListAsync("ada", new HistoryQuery(MetricCatalogue.Weight, PageSize: 50), Ct)).Rows;
        var bobs = (await history.ListAsync("bob", new HistoryQuery(), Ct)).Rows;
        var ids = weights.Select(r => r.Id).Concat(bobs.Take(3).Select(r => r.Id)).ToList();

        var deleted = await history.DeleteAsync("ada", ids, Ct);

        Assert.Equal(weights.Count(r => r.Editable), deleted);
        Assert.Equal(weights.Count(r => !r.Editable), await db.SamplesOf("ada").CountAsync(s => ids.Contains(s.Id), Ct));
        Assert.Equal(50, await db.SamplesOf("bob").CountAsync(Ct));
        foreach (var day in weights.Select(r => DateOnly.FromDateTime(r.LocalTime)).Distinct())
        {
            var left = await db.SamplesOf("ada").Where(s => s.MetricCode == MetricCatalogue.Weight && s.LocalDate == day).CountAsync(Ct);
            var daily = await db.DailyValues.SingleOrDefaultAsync(d => d.UserId == "ada" && d.MetricCode == MetricCatalogue.Weight && d.LocalDate == day, Ct);
            Assert.Equal(left > 0, daily is not null);
        }

        // Audited for Ada alone: how many and which metric, no value.
        var audit = await db.AuditEvents.AsNoTracking().Select(e => new { e.Kind, e.UserId, e.Detail }).SingleAsync(Ct);
        Assert.Equal((LifeOs.Core.Audit.AuditKind.MeasurementsDeleted, "ada", $"{deleted} measurements: weight"), (audit.Kind, audit.UserId, audit.Detail));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Exclude_LeavesTheReadingOutOfItsDay_IncludeBringsItBack_AndSomeoneElsesIdsChangeNothing(Engine engine)
    {
        On(engine);
        var at = new DateTime(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);
        await store.UpsertSamplesAsync("ada", [new(MetricCatalogue.Weight, SampleSource.Withings, "guest", at, 95), new(MetricCatalogue.Weight, SampleSource.Withings, "me", at.AddMinutes(-30), 72)], Ct);
        await store.UpsertSamplesAsync("bob", [new(MetricCatalogue.Weight, SampleSource.Withings, "bob", at, 88)], Ct);
        var guest = await db.Samples.Where(s => s.SourceRecordId == "guest").Select(s => s.Id).SingleAsync(Ct);
        var bob = await db.Samples.Where(s => s.SourceRecordId == "bob").Select(s => s.Id).SingleAsync(Ct);
        var day = new DateOnly(2026, 11, 20);
        Task<double> DailyAsync(string user) => db.DailyValues.Where(d => d.UserId == user && d.MetricCode == MetricCatalogue.Weight && d.LocalDate == day).Select(d => d.Value).SingleAsync(Ct);
        Assert.Equal(95, await DailyAsync("ada"));

        Assert.Equal(1, await history.SetExcludedAsync("ada", [guest, bob], excluded: true, Ct));
        Assert.Equal(72, await DailyAsync("ada"));
        Assert.Equal(88, await DailyAsync("bob"));
        Assert.False(await db.Samples.Where(s => s.Id == bob).Select(s => s.Excluded).SingleAsync(Ct));
        Assert.True((await history.ListAsync("ada", new HistoryQuery(), Ct)).Rows.Single(r => r.Id == guest).Excluded);

        // The same reading sent again (a re-sync) keeps its exclusion.
        await store.UpsertSamplesAsync("ada", [new(MetricCatalogue.Weight, SampleSource.Withings, "guest", at, 95.1)], Ct);
        Assert.True(await db.Samples.Where(s => s.Id == guest).Select(s => s.Excluded).SingleAsync(Ct));
        Assert.Equal(72, await DailyAsync("ada"));

        Assert.Equal(1, await history.SetExcludedAsync("ada", [guest], excluded: false, Ct));
        Assert.Equal(95.1, await DailyAsync("ada"));

        // Audited: one exclusion and one inclusion, Ada's, with the metric and the count; nothing for Bob's id or no change.
        Assert.Equal(0, await history.SetExcludedAsync("ada", [guest, bob], excluded: false, Ct));
        var audit = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Kind, e.UserId, e.Detail }).ToListAsync(Ct);
        Assert.Equal(
            [(LifeOs.Core.Audit.AuditKind.MeasurementsExcluded, "ada", "1 measurement: weight"), (LifeOs.Core.Audit.AuditKind.MeasurementsIncluded, "ada", "1 measurement: weight")],
            audit.Select(e => (e.Kind, e.UserId, e.Detail)));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Sources_NameEverySourceOfTheMetric_WithTheDaysEachWon(Engine engine)
    {
        On(engine);
        await SeedAsync();

        var sources = await history.SourcesAsync("ada", MetricCatalogue.Weight, new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 25), Ct);
        var bobs = await history.SourcesAsync("bob", MetricCatalogue.HeartRate, new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 25), Ct);

        Assert.Equal([SampleSource.Withings, SampleSource.Manual, SampleSource.Import], sources.Select(s => s.Source).Order());
        Assert.Equal(await db.DailyValues.CountAsync(d => d.UserId == "ada" && d.MetricCode == MetricCatalogue.Weight, Ct), sources.Sum(s => s.DaysWon));
        Assert.Empty(bobs);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Outliers_FlagAGuestOnTheScale_ByTheUsersOwnMedianAndMad_AndOnlyTheirs(Engine engine)
    {
        On(engine);
        var at = new DateTime(2026, 10, 1, 7, 0, 0, DateTimeKind.Utc);
        var usual = Enumerable.Range(0, 40).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, $"w-{i}", at.AddDays(i), 72 + (i % 7 * 0.2) - 0.6));
        await store.UpsertSamplesAsync("ada", [.. usual, new(MetricCatalogue.Weight, SampleSource.Withings, "guest", at.AddDays(41), 96.4), new(MetricCatalogue.Weight, SampleSource.Manual, "typo", at.AddDays(42), 7.2)], Ct);
        await store.UpsertSamplesAsync("bob", [.. Enumerable.Range(0, 20).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"b-{i}", at.AddDays(i), i == 5 ? 150 : 90))], Ct);

        var found = Assert.Single(await outliers.FindAsync("ada", Ct));

        Assert.Equal(MetricCatalogue.Weight, found.MetricCode);
        Assert.Equal([7.2, 96.4], found.Outliers.Select(o => o.Row.DisplayValue).Order());
        Assert.All(found.Outliers, o => Assert.True(o.Score > OutlierService.Threshold));
        Assert.InRange(found.Outliers[0].Median, 71.9, 72.1);
        Assert.True(found.Outliers.Single(o => o.Row.DisplayValue == 96.4).Above);
        Assert.DoesNotContain(found.Outliers, o => o.Row.DisplayValue is 150 or 90);
        Assert.Empty(await outliers.FindAsync("nobody", Ct));
    }

    [Fact]
    public void Spread_IsTheMedianAndTheRobustDeviation_NullForAFlatLine()
    {
        var (median, sigma) = OutlierService.Spread([1, 2, 3, 4, 100])!.Value;

        Assert.Equal(3, median);
        Assert.Equal(1.4826, sigma, 4);
        Assert.Null(OutlierService.Spread([5, 5, 5, 5]));
    }
}
