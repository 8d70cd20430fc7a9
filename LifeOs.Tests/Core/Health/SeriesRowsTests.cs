using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Health;

/// <summary>
/// Oura's minute heart rate outside the unique record key and the all-metrics time index on SQLite (<see cref="SeriesRows"/>):
/// the upsert still finds each reading (by its instant), and the queries that read every metric in time order, or the
/// other samples by record id, still go through indexes.
/// </summary>
public sealed class SeriesRowsTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;
    private HealthStore store = null!;

    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
        db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada", Email = "ada@example.com", TimeZoneId = "Europe/Paris", CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
        db.ChangeTracker.Clear();
        store = new HealthStore(db, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero)), new SourcePriorityService(db));
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Oura's heart rate as its client writes it: the record id is the instant and Oura's tag.</summary>
    private static SampleInput Oura(int minute, double bpm, string tag = "awake")
    {
        var at = Start.AddMinutes(minute);
        return new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, string.Create(CultureInfo.InvariantCulture, $"{new DateTimeOffset(at).ToUnixTimeSeconds()}:{tag}"), at, bpm);
    }

    [Fact]
    public void ARecordIdThatBeginsWithItsOwnInstant_IsStoredWithoutIt_AndShownWhole()
    {
        var at = Start.AddMinutes(7);
        var seconds = new DateTimeOffset(at).ToUnixTimeSeconds();
        var whole = Oura(7, 60).SourceRecordId;
        Assert.Equal(whole, SeriesRows.RecordId(at, "awake"));
        Assert.Equal(":awake", SeriesRows.Stored(whole, seconds));
        Assert.Equal(whole, SeriesRows.RecordIdOf(MetricCatalogue.HeartRate, SampleSource.Oura, at, ":awake"));

        // Any other id is stored and shown as it is: another instant's, one without the colon, a longer number.
        Assert.Equal(whole, SeriesRows.Stored(whole, seconds + 1));
        Assert.Equal(whole, SeriesRows.Stored(whole, seconds / 10));
        Assert.Equal("1796112000", SeriesRows.Stored("1796112000", 1_796_112_000));
        Assert.Equal("17961120001:awake", SeriesRows.Stored("17961120001:awake", 1_796_112_000));
        Assert.Equal(whole, SeriesRows.RecordIdOf(MetricCatalogue.HeartRate, SampleSource.Oura, at, whole));
        Assert.Equal(":awake", SeriesRows.RecordIdOf(MetricCatalogue.Weight, SampleSource.Oura, at, ":awake"));
        Assert.Equal(":awake", SeriesRows.RecordIdOf(MetricCatalogue.HeartRate, SampleSource.Withings, at, ":awake"));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task OurasHeartRateRecordIds_AreStoredWithoutTheirInstantOnSqliteOnly_AndEveryReadShowsThemWhole(Engine engine)
    {
        On(engine);
        // One beginning with ":" would read back as another id: refused, and counted.
        var refused = new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, ":awake", Start, 60);
        var withings = new SampleInput(MetricCatalogue.HeartRate, SampleSource.Withings, ":kept", Start, 61);
        var result = await store.UpsertSamplesAsync("ada", [Oura(0, 58), Oura(1, 59, tag: "rest"), refused, withings], Ct);
        Assert.Equal((3, 1), (result.Inserted, result.Rejected));

        var stored = await db.SamplesOf("ada").AsNoTracking().Where(s => s.Source == SampleSource.Oura).OrderBy(s => s.StartUtc).Select(s => s.SourceRecordId).ToListAsync(Ct);
        Assert.Equal(engine == Engine.Sqlite ? [":awake", ":rest"] : [Oura(0, 0).SourceRecordId, Oura(1, 0, tag: "rest").SourceRecordId], stored);

        var clock = new LifeOs.Core.UserClock(TimeZoneInfo.Utc, 0, LifeOs.Core.Accounts.UnitSystem.Metric, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var api = new LifeOs.Core.Api.HealthApiService(db, store, TimeProvider.System);
        foreach (var metrics in new[] { Array.Empty<string>(), [MetricCatalogue.HeartRate] })
        {
            var shown = new List<string>();
            await foreach (var sample in api.StreamSamplesAsync("ada", clock, new LifeOs.Core.Api.SampleQuery(metrics, null, null, null, null, 100), Ct))
            {
                shown.Add(sample.RecordId);
            }

            Assert.Equal([Oura(0, 0).SourceRecordId, ":kept", Oura(1, 0, tag: "rest").SourceRecordId], shown);
        }
    }

    [Fact]
    public void HeartRatesStoredNumber_IsTheOneThePartialIndexesLeaveOut()
    {
        Assert.Equal(SeriesRows.MetricNumber, MetricCatalogue.StoredNumber(MetricCatalogue.HeartRate));
        Assert.Equal(Start.AddMinutes(3), SeriesRows.StartOf(Oura(3, 60).SourceRecordId));
        Assert.Null(SeriesRows.StartOf("w-123"));
        Assert.Null(SeriesRows.StartOf("manual-1:2"));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task OurasHeartRate_SentAgain_ChangesNothing_AChangedValueUpdates_AndOtherReadingsAtTheSameInstantStayApart(Engine engine)
    {
        On(engine);
        var first = Enumerable.Range(0, 3_000).Select(i => Oura(i, 60 + (i % 30))).ToList();
        Assert.Equal(3_000, (await store.UpsertSamplesAsync("ada", first, Ct)).Inserted);

        // The same readings: nothing new. Half stored and half new (a sync's overlapping window), one of them changed.
        Assert.Equal(new UpsertResult(0, 0, 3_000, 0, 0), await store.UpsertSamplesAsync("ada", first, Ct));
        var overlap = Enumerable.Range(2_000, 2_000).Select(i => Oura(i, i == 2_500 ? 150 : 60 + (i % 30))).ToList();
        var result = await store.UpsertSamplesAsync("ada", overlap, Ct);
        Assert.Equal((1_000, 1, 999), (result.Inserted, result.Updated, result.Unchanged));

        // At one instant: another Oura tag, Withings' heart rate, a typed-in one. Each is its own reading.
        var at = Start.AddMinutes(10);
        SampleInput[] sameInstant =
        [
            Oura(10, 99, tag: "rest"),
            new(MetricCatalogue.HeartRate, SampleSource.Withings, "w-1-11", at, 70),
            new(MetricCatalogue.HeartRate, SampleSource.Manual, "manual-1", at, 71),
        ];
        Assert.Equal(3, (await store.UpsertSamplesAsync("ada", sameInstant, Ct)).Inserted);
        Assert.Equal(new UpsertResult(0, 0, 3, 0, 0), await store.UpsertSamplesAsync("ada", sameInstant, Ct));

        var stored = await db.SamplesOf("ada").AsNoTracking().ToListAsync(Ct);
        Assert.Equal(4_003, stored.Count);
        var shown = stored.Select(s => (s.Source, s.StartUtc, Id: SeriesRows.RecordIdOf(s.MetricCode, s.Source, s.StartUtc, s.SourceRecordId))).ToList();
        Assert.Equal(4_003, shown.Select(s => (s.Source, s.Id)).Distinct().Count());
        Assert.Equal(Start.AddMinutes(2_500), shown.Single(s => s.Id == Oura(2_500, 0).SourceRecordId).StartUtc);
        Assert.Equal(150, stored.Single(s => s.StartUtc == Start.AddMinutes(2_500)).Value);
        Assert.Equal([70, 70, 71, 99], stored.Where(s => s.StartUtc == at).Select(s => s.Value).Order());

        // A provider's deletion finds Oura's readings through their instants, and only the ones named.
        Assert.Equal(1, await store.DeleteSamplesAsync("ada", SampleSource.Oura, [Oura(10, 0, tag: "rest").SourceRecordId, "no-such-record"], Ct));
        Assert.Equal(1, await store.DeleteSamplesAsync("ada", SampleSource.Withings, ["w-1-11"], Ct));
        Assert.Equal([70, 71], (await db.SamplesOf("ada").AsNoTracking().Where(s => s.StartUtc == at).Select(s => s.Value).ToListAsync(Ct)).Order());
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task EveryMetricInTimeOrder_MergesTheSeriesAndTheRest_WithNothingLostOrRepeated(Engine engine)
    {
        On(engine);
        await store.UpsertSamplesAsync("ada", [
            .. Enumerable.Range(0, 500).Select(i => Oura(i * 7, 60 + (i % 30))),
            .. Enumerable.Range(0, 40).Select(i => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Withings, $"w-{i}", Start.AddMinutes(i * 70), 65)),
            .. Enumerable.Range(0, 40).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"m-{i}", Start.AddMinutes((i * 83) + 1), 72)),
        ], Ct);

        var merged = await SeriesRows.InTimeOrder(db.SamplesOf("ada").AsNoTracking()).OrderBy(s => s.StartUtc).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(Ct);
        var expected = (await db.SamplesOf("ada").AsNoTracking().Select(s => new { s.Id, s.StartUtc }).ToListAsync(Ct)).OrderBy(s => s.StartUtc).ThenBy(s => s.Id).Select(s => s.Id);
        Assert.Equal(expected, merged);
        Assert.Equal(80, await SeriesRows.InTimeOrder(db.SamplesOf("ada"), s => s.Id, series: false).CountAsync(Ct));
    }

    /// <summary>The queries' plans on SQLite: each reads through an index in order; none sorts the user's samples.</summary>
    [Fact]
    public async Task Sqlite_TheMergedOrder_AndLookupsOfTheOtherSamples_ReadThroughIndexes()
    {
        On(Engine.Sqlite);
        await store.UpsertSamplesAsync("ada", [Oura(0, 60), new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, "m-1", Start, 72)], Ct);

        var page = SeriesRows.InTimeOrder(db.SamplesOf("ada").AsNoTracking()).OrderByDescending(s => s.StartUtc).ThenByDescending(s => s.Id).Take(51);
        var plan = await PlanAsync(page);
        Assert.Contains("MERGE (UNION ALL)", plan);
        Assert.Contains("IX_Samples_UserNumber_Metric_StartUtc", plan);
        Assert.Contains("IX_Samples_UserNumber_StartUtc", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);

        var byRecord = db.SamplesOf("ada").Others().Where(s => s.MetricCode == MetricCatalogue.Weight && s.Source == SampleSource.Manual && s.SourceRecordId == "m-1");
        Assert.Contains("IX_Samples_UserNumber_Metric_Source_SourceRecordId", await PlanAsync(byRecord));

        var indexes = await db.Database.SqlQueryRaw<string>("SELECT sql AS Value FROM sqlite_master WHERE name IN ('IX_Samples_UserNumber_Metric_Source_SourceRecordId', 'IX_Samples_UserNumber_StartUtc')").ToListAsync(Ct);
        Assert.All(indexes, sql => Assert.EndsWith($"WHERE {SeriesRows.IndexFilter}", sql));
        Assert.Equal(2, indexes.Count);
    }

    private async Task<string> PlanAsync<T>(IQueryable<T> query)
    {
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            await using var command = query.CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                lines.Add(reader.GetString(3));
            }

            return string.Join('\n', lines);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
