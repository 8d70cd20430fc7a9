using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core;

public sealed class UserClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Clock_KnowsTheUsersDay_WithTheirDayStartHour_AndTheirCalendarDay()
    {
        using var connection = TestDatabase.OpenInMemory();
        await using var db = await DatabaseWithAsync(connection, "Pacific/Auckland", dayStartHour: 4);
        // 14:30 UTC is 03:30 the next morning in Auckland (UTC+13 in summer): before the day starts at 4.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 14, 30, 0, TimeSpan.Zero));

        var clock = await db.ClockAsync("ada", time, Ct);

        Assert.Equal(new DateOnly(2026, 11, 30), clock.Today);
        Assert.Equal(new DateOnly(2026, 12, 1), clock.CalendarToday);
        Assert.Equal(new DateTime(2026, 12, 1, 3, 30, 0), clock.LocalNow);
        Assert.Null(await db.FindClockAsync("nobody", time, Ct));
    }

    [Fact]
    public async Task AZoneThisMachineDoesNotKnow_ReadsAsUtc_InsteadOfFailingThePage()
    {
        using var connection = TestDatabase.OpenInMemory();
        await using var db = await DatabaseWithAsync(connection, "Mars/Olympus_Mons", dayStartHour: 0);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(TimeZoneInfo.Utc, (await db.ClockAsync("ada", time, Ct)).Zone);
        var store = new HealthStore(db, time, new SourcePriorityService(db));
        await store.UpsertSamplesAsync("ada", [new(MetricCatalogue.Steps, SampleSource.Manual, "s", new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc), 4000)], Ct);
        var history = await new MetricHistoryService(db, time).GetAsync("ada", MetricCatalogue.Steps, "30d", Ct);
        Assert.Equal(4000, Assert.Single(history!.Days).Value);
    }

    private static async Task<LifeOsDbContext> DatabaseWithAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string zone, int dayStartHour)
    {
        var db = new LifeOsDbContext(TestDatabase.Options(connection));
        await db.Database.MigrateAsync(Ct);
        db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada", Email = "ada@example.com", TimeZoneId = zone, DayStartHour = dayStartHour, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();
        return db;
    }
}
