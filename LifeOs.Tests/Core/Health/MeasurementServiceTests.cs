using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Health;

/// <summary>Provider-neutral: every test runs on SQLite and on PostgreSQL.</summary>
public sealed class MeasurementServiceTests : IDisposable
{
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;
    private MeasurementService measurements = null!;
    private HealthStore store = null!;

    /// <summary>Each test starts here, on a migrated database of its own on the engine.</summary>
    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
        foreach (var (id, zone) in new[] { ("ada", "Pacific/Auckland"), ("bob", "America/New_York") })
        {
            db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = zone, CreatedAt = DateTime.UtcNow });
        }

        db.SaveChanges();
        db.ChangeTracker.Clear();
        // 25 Nov 2026 11:30 UTC: already 26 Nov (00:30) in Auckland, still 25 Nov (06:30) in New York.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 11, 30, 0, TimeSpan.Zero));
        store = new HealthStore(db, time, new SourcePriorityService(db));
        measurements = new MeasurementService(db, store, time, TestDatabase.AuditLog(db, time));
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task EntryContext_IsTheUsersOwnNow(Engine engine)
    {
        On(engine);
        var ada = await measurements.EntryContextAsync("ada", Ct);
        var bob = await measurements.EntryContextAsync("bob", Ct);

        Assert.Equal((new DateTime(2026, 11, 26, 0, 30, 0), new DateOnly(2026, 11, 26)), (ada!.LocalNow, ada.Today));
        Assert.Equal(new DateOnly(2026, 11, 25), bob!.Today);
        Assert.Null(await measurements.EntryContextAsync("nobody", Ct));
    }

    [Theory]
    [InlineData("ada", 2026, 11, 26, true, Engine.Sqlite)]
    [InlineData("ada", 2026, 11, 27, false, Engine.Sqlite)]
    [InlineData("bob", 2026, 11, 25, true, Engine.Sqlite)]
    [InlineData("bob", 2026, 11, 26, false, Engine.Sqlite)]
    [InlineData("bob", 1900, 1, 1, true, Engine.Sqlite)]
    [InlineData("bob", 1899, 12, 31, false, Engine.Sqlite)]
    [InlineData("ada", 2026, 11, 26, true, Engine.PostgreSql)]
    [InlineData("ada", 2026, 11, 27, false, Engine.PostgreSql)]
    [InlineData("bob", 2026, 11, 25, true, Engine.PostgreSql)]
    [InlineData("bob", 2026, 11, 26, false, Engine.PostgreSql)]
    [InlineData("bob", 1900, 1, 1, true, Engine.PostgreSql)]
    [InlineData("bob", 1899, 12, 31, false, Engine.PostgreSql)]
    public async Task Add_AcceptsDatesFrom1900ToTheUsersToday(string user, int year, int month, int day, bool accepted, Engine engine)
    {
        On(engine);
        var result = await measurements.AddAsync(user, MetricCatalogue.Weight, 70, new DateTime(year, month, day, 23, 0, 0), Ct);

        Assert.Equal(accepted, result.Succeeded);
        Assert.Equal(accepted ? 1 : 0, await db.Samples.CountAsync(Ct));
        if (!accepted)
        {
            Assert.Equal([MeasurementService.TimeField], result.Errors.Keys);
        }
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task List_PagesTheUsersTypedInAndImportedRows_NewestFirst_AndNothingElse(Engine engine)
    {
        On(engine);
        var inputs = Enumerable.Range(0, 7).Select(i => new SampleInput(MetricCatalogue.Weight, i % 2 == 0 ? SampleSource.Manual : SampleSource.Import, $"r{i}", new DateTime(2026, 11, 1 + i, 8, 0, 0, DateTimeKind.Utc), 70 + i)).ToList();
        await store.UpsertSamplesAsync("bob", inputs, Ct);
        await store.UpsertSamplesAsync("bob", [new(MetricCatalogue.Weight, SampleSource.Withings, "scale", new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), 69)], Ct);
        await store.UpsertSamplesAsync("ada", [new(MetricCatalogue.Weight, SampleSource.Manual, "hers", new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), 55)], Ct);

        var first = await measurements.ListAsync("bob", new MeasurementQuery(1, 3), Ct);
        var last = await measurements.ListAsync("bob", new MeasurementQuery(3, 3), Ct);
        var past = await measurements.ListAsync("bob", new MeasurementQuery(99, 3), Ct);

        Assert.Equal((7, 3, 1), (first.Total, first.PageCount, first.Page));
        Assert.Equal([76, 75, 74], first.Rows.Select(r => r.DisplayValue));
        Assert.Equal([70], last.Rows.Select(r => r.DisplayValue));
        Assert.Equal(3, past.Page);
        Assert.Equal([70], past.Rows.Select(r => r.DisplayValue));
        Assert.Equal(new DateTime(2026, 11, 7, 3, 0, 0), first.Rows[0].LocalTime);
        Assert.Equal(0, (await measurements.ListAsync("bob", new MeasurementQuery(1, 3, MetricCatalogue.Steps), Ct)).Total);
        Assert.Equal([55], (await measurements.ListAsync("ada", new MeasurementQuery(), Ct)).Rows.Select(r => r.DisplayValue));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task EditAndDelete_AreAudited_WithTheMetricsAndCounts_NeverTheValues(Engine engine)
    {
        On(engine);
        var at = new DateTime(2026, 11, 20, 8, 0, 0);
        Assert.True((await measurements.AddAsync("ada", MetricCatalogue.Weight, 81.37, at, Ct)).Succeeded);
        var id = await db.SamplesOf("ada").Select(s => s.Id).SingleAsync(Ct);

        Assert.True((await measurements.UpdateAsync("ada", id, MetricCatalogue.Weight, 79.64, at, Ct))!.Succeeded);
        Assert.Null(await measurements.UpdateAsync("bob", id, MetricCatalogue.Weight, 12.5, at, Ct));
        Assert.False(await measurements.DeleteAsync("bob", id, Ct));
        Assert.True(await measurements.DeleteAsync("ada", id, Ct));

        var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Kind, e.UserId, e.Detail }).ToListAsync(Ct);
        Assert.Equal(
            [(LifeOs.Core.Audit.AuditKind.MeasurementsEdited, "ada", "1 measurement: weight"), (LifeOs.Core.Audit.AuditKind.MeasurementsDeleted, "ada", "1 measurement: weight")],
            events.Select(e => (e.Kind, e.UserId, e.Detail)));
        Assert.DoesNotContain(events, e => e.Detail!.Contains("81", StringComparison.Ordinal) || e.Detail.Contains("79", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task List_ForOneMetric_ShowsOnlyIt(Engine engine)
    {
        On(engine);
        await measurements.AddAsync("bob", MetricCatalogue.Weight, 70, new DateTime(2026, 11, 20, 8, 0, 0), Ct);
        await measurements.AddAsync("bob", MetricCatalogue.Steps, 4000, new DateTime(2026, 11, 20, 9, 0, 0), Ct);

        var steps = await measurements.ListAsync("bob", new MeasurementQuery(MetricCode: MetricCatalogue.Steps), Ct);

        Assert.Equal([MetricCatalogue.Steps], steps.Rows.Select(r => r.MetricCode));
        Assert.Equal(1, steps.Total);
    }
}
