using LifeOs.Core.Accounts;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Dashboard;

/// <summary>Provider-neutral: every test runs on SQLite and on PostgreSQL.</summary>
public sealed class MetricHistoryServiceTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;
    private HealthStore store = null!;
    private MetricHistoryService history = null!;

    /// <summary>Each test starts here, on a migrated database of its own on the engine.</summary>
    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
        db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada", Email = "ada@example.com", TimeZoneId = "Europe/London", UnitSystem = UnitSystem.Imperial, CreatedAt = DateTime.UtcNow });
        db.Users.Add(new ApplicationUser { Id = "bob", UserName = "bob", Email = "bob@example.com", TimeZoneId = "Europe/London", CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
        db.ChangeTracker.Clear();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
        store = new HealthStore(db, time, new SourcePriorityService(db));
        history = new MetricHistoryService(db, time);
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task WeighAsync(string user, int month, int day, double kg, SampleSource source = SampleSource.Withings) =>
        store.UpsertSamplesAsync(user, [new(MetricCatalogue.Weight, source, $"{source}-{month}-{day}", new DateTime(2026, month, day, 7, 0, 0, DateTimeKind.Utc), kg)], Ct);

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Get_ReadsTheRangeInTheUsersUnits_WithTheWinningSourceAndStats(Engine engine)
    {
        On(engine);
        await WeighAsync("ada", 11, 1, 80);
        await WeighAsync("ada", 11, 20, 79);
        await WeighAsync("ada", 11, 20, 90, SampleSource.Manual);
        await WeighAsync("ada", 6, 1, 85);
        await WeighAsync("bob", 11, 21, 60);

        var weight = await history.GetAsync("ada", MetricCatalogue.Weight, "30d", Ct);

        Assert.NotNull(weight);
        Assert.Equal(("lb", new DateOnly(2026, 10, 27), Today, (string?)null), (weight.Unit, weight.Range.From, weight.Range.To, weight.RangeError));
        Assert.Equal(
            [new MetricDay(new(2026, 11, 1), 176.37, SampleSource.Withings, 1), new MetricDay(new(2026, 11, 20), 174.17, SampleSource.Withings, 1)],
            weight.Days);
        Assert.Equal(new MetricStats(174.17, new(2026, 11, 20), 176.37, new(2026, 11, 1), 175.27, 2), weight.Stats);
        Assert.Equal((new DateOnly(2026, 6, 1), new DateOnly(2026, 11, 20)), (weight.FirstDay!.Value, weight.LastDay!.Value));
    }

    [Theory]
    [InlineData("7d", 2026, 11, 19, null)]
    [InlineData(" 1Y ", 2025, 11, 26, null)]
    [InlineData("all", 2026, 6, 1, null)]
    [InlineData(null, 2026, 10, 27, null)]
    [InlineData("custom", 2026, 10, 27, "'custom' is not a period LifeOs knows; showing the last 30 days.")]
    [InlineData("2099-13-45", 2026, 10, 27, "'2099-13-45' is not a period LifeOs knows; showing the last 30 days.")]
    public async Task Get_Range_IsAPresetOrTheDefaultWithAMessage(string? key, int year, int month, int day, string? error)
    {
        On(Engine.Sqlite);
        await WeighAsync("ada", 6, 1, 85);

        var weight = await history.GetAsync("ada", MetricCatalogue.Weight, key, Ct);

        Assert.Equal((new DateOnly(year, month, day), Today, error), (weight!.Range.From, weight.Range.To, weight.RangeError));
    }

    [Fact]
    public void ParseRange_ShortensAVeryLongKeyInItsMessage()
    {
        var (range, error) = MetricHistoryService.ParseRange(new string('x', 5000), Today, null);

        Assert.Equal("30d", range.Key);
        Assert.True(error!.Length < 120);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Get_UnknownMetricOrUser_IsNull_AnotherUsersDaysAreNeverRead(Engine engine)
    {
        On(engine);
        await WeighAsync("bob", 11, 21, 60);

        Assert.Null(await history.GetAsync("ada", "shoe_size", null, Ct));
        Assert.Null(await history.GetAsync("nobody", MetricCatalogue.Weight, null, Ct));
        var ada = await history.GetAsync("ada", MetricCatalogue.Weight, "all", Ct);
        Assert.Equal((0, false, (MetricStats?)null), (ada!.Days.Count, ada.HasAnyData, ada.Stats));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Summaries_ListTheUsersMetrics_InCatalogueOrder(Engine engine)
    {
        On(engine);
        await WeighAsync("ada", 11, 1, 80);
        await WeighAsync("ada", 11, 20, 79);
        await store.UpsertSamplesAsync("ada", [new(MetricCatalogue.Steps, SampleSource.Oura, "s", new DateTime(2026, 11, 2, 12, 0, 0, DateTimeKind.Utc), 9000)], Ct);
        await WeighAsync("bob", 11, 21, 60);

        var summaries = await history.SummariesAsync("ada", Ct);

        Assert.Equal(
            [new MetricSummary(MetricCatalogue.Steps, "Steps", MetricGroup.Activity, 1, new(2026, 11, 2)), new MetricSummary(MetricCatalogue.Weight, "Weight", MetricGroup.Body, 2, new(2026, 11, 20))],
            summaries);
    }
}
