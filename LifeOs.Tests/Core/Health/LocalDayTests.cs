using System.Globalization;
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

    [Theory]
    [InlineData("2026-03-29 01:59:59", "2026-03-29T01:59:59.0000000Z")]
    [InlineData("2026-03-29 01:59:59.5", "2026-03-29T01:59:59.5000000Z")]
    [InlineData("2026-11-25 23:30:00.1234567", "2026-11-25T23:30:00.1234567Z")]
    [InlineData("2026-11-25T23:30:00Z", "2026-11-25T23:30:00.0000000Z")] // not EF's form: the general parser
    public void ParseStoredUtc_ReadsWhatEfWrites(string stored, string expected)
    {
        var parsed = LocalDay.ParseStoredUtc(stored);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
        Assert.Equal(expected, parsed.ToString("O", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ParseStoredUtc_RoundTripsTheStoreFormat()
    {
        var random = new Random(9);
        for (var i = 0; i < 2000; i++)
        {
            var utc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(random.NextDouble() * TimeSpan.TicksPerDay * 365 * 40));
            Assert.Equal(utc, LocalDay.ParseStoredUtc(utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)));
        }
    }
}
