using System.Globalization;
using LifeOs.Core.Data.Configurations;
using LifeOs.Core.Health;

namespace LifeOs.Tests.Core.Health;

public sealed class LocalDayTests
{
    [Theory]
    [InlineData("Europe/Paris", 0)]
    [InlineData("America/New_York", 3)]
    [InlineData("Australia/Lord_Howe", 0)] // clocks move by 30 minutes
    [InlineData("Asia/Kathmandu", 2)] // +05:45
    [InlineData("Pacific/Chatham", 6)] // +12:45 / +13:45
    [InlineData("Pacific/Auckland", 0)]
    [InlineData("UTC", 0)]
    public void ForZone_AgreesWithOf_AtEveryQuarterHourForTwoYears(string zoneId, int dayStartHour)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var days = new LocalDay.ForZone(zone, dayStartHour);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var utc = start; utc < start.AddYears(2); utc = utc.AddMinutes(15))
        {
            Assert.Equal(LocalDay.Of(utc, zone, dayStartHour), days.Of(utc));
        }

        // Out of order too (the cache is per UTC day, not a running position).
        var random = new Random(4);
        for (var i = 0; i < 5000; i++)
        {
            var utc = start.AddSeconds(random.Next(0, 2 * 366 * 86400));
            Assert.Equal(LocalDay.Of(utc, zone, dayStartHour), days.Of(utc));
        }
    }

    [Fact]
    public void ForZone_AtTheEndsOfTime_AnswersAsOfDoes()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var days = new LocalDay.ForZone(zone, 0);
        foreach (var utc in new[] { DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) })
        {
            Assert.Equal(LocalDay.Of(utc, zone, 0), days.Of(utc));
        }
    }

    /// <summary>The samples' stored instants and days on SQLite (CompactTime): exact to the second, before 1970 too; finer parts rounded down.</summary>
    [Fact]
    public void CompactTime_RoundTripsSecondsAndDays_BeforeAndAfter1970()
    {
        var random = new Random(9);
        for (var i = 0; i < 2000; i++)
        {
            var ticks = new DateTime(1901, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks + (long)(random.NextDouble() * TimeSpan.TicksPerDay * 365 * 200);
            var utc = new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            var stored = CompactTime.ToSeconds(utc);
            Assert.Equal(utc, CompactTime.FromSeconds(stored));
            Assert.Equal(DateTimeKind.Utc, CompactTime.FromSeconds(stored).Kind);
            Assert.Equal(utc, CompactTime.FromSeconds(CompactTime.ToSeconds(utc.AddMilliseconds(999))));
            var day = DateOnly.FromDateTime(utc);
            Assert.Equal(day, CompactTime.FromDayNumber(CompactTime.ToDayNumber(day)));
        }

        Assert.Equal(0, CompactTime.ToDayNumber(new DateOnly(1970, 1, 1)));
        Assert.Equal(-1, CompactTime.ToDayNumber(new DateOnly(1969, 12, 31)));
        Assert.Equal(86_400, CompactTime.ToSeconds(new DateTime(1970, 1, 2, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(-1, CompactTime.ToSeconds(new DateTime(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc)));
    }
}
