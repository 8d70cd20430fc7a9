namespace LifeOs.Core.Health;

/// <summary>"A day" for a user: the local date in their time zone, shifted by the hour their day starts.</summary>
public static class LocalDay
{
    public static DateOnly Of(DateTime utc, TimeZoneInfo zone, int dayStartHour)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return DateOnly.FromDateTime(local.AddHours(-dayStartHour));
    }

    /// <summary>
    /// <see cref="Of"/> for many instants in one zone, such as every sample of a user: each UTC day's offset is
    /// looked up once, and an instant is converted on its own only on a day whose offset changes (a clock
    /// change; real zones change at most once a day). Not thread-safe: one per loop.
    /// </summary>
    public sealed class ForZone(TimeZoneInfo zone, int dayStartHour)
    {
        private long day = long.MinValue;
        private TimeSpan? offset;

        public DateOnly Of(DateTime utc)
        {
            // Within two days of DateTime's ends the shifted time would not exist; LocalDay.Of clamps there.
            if (utc.Ticks < 2 * TimeSpan.TicksPerDay || utc.Ticks > DateTime.MaxValue.Ticks - (2 * TimeSpan.TicksPerDay))
            {
                return LocalDay.Of(utc, zone, dayStartHour);
            }

            var utcDay = utc.Ticks / TimeSpan.TicksPerDay;
            if (utcDay != day)
            {
                day = utcDay;
                var start = new DateTime(utcDay * TimeSpan.TicksPerDay, DateTimeKind.Utc);
                var atStart = zone.GetUtcOffset(start);
                offset = atStart == zone.GetUtcOffset(start.AddTicks(TimeSpan.TicksPerDay - 1)) ? atStart : null;
            }

            return offset is { } o
                ? DateOnly.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified).Add(o).AddHours(-dayStartHour))
                : LocalDay.Of(utc, zone, dayStartHour);
        }
    }

    /// <summary>
    /// How far, in days, a sample's <see cref="Sample.LocalDate"/> may lie from the UTC date of its start. A day LifeOs works
    /// out is within one (zones run from UTC-12 to UTC+14, a day starts by 6:00); a source's own day within two (a night's
    /// sleep belongs to the day one wakes up). The store refuses a sample further out, so a day's samples can be read
    /// through the (owner, metric, start) index, a few days either side, instead of an index of their own.
    /// </summary>
    public const int MaxSampleDayDistance = 2;

    /// <summary>Whether <paramref name="day"/> may be the day of a sample that starts at <paramref name="startUtc"/>.</summary>
    public static bool FitsSampleStart(DateOnly day, DateTime startUtc) =>
        Math.Abs(day.DayNumber - DateOnly.FromDateTime(startUtc).DayNumber) <= MaxSampleDayDistance;

    /// <summary>The start instants that samples of the days <paramref name="from"/> to <paramref name="to"/> can have: [first, end).</summary>
    public static (DateTime First, DateTime End) SampleStarts(DateOnly from, DateOnly to) =>
        (from.AddDays(-MaxSampleDayDistance).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            to.AddDays(MaxSampleDayDistance + 1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>EF stores DateOnly as "yyyy-MM-dd"; reading the digits in place avoids a substring and a general parse.</summary>
    internal static DateOnly? ParseStored(string text, int at = 0)
    {
        if (text.Length < at + 10 || text[at + 4] != '-' || text[at + 7] != '-')
        {
            return null;
        }

        var (year, month, day) = (Digits(text, at, 4), Digits(text, at + 5, 2), Digits(text, at + 8, 2));
        return year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    internal static int Digits(string s, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = s[i] - '0';
            if (digit is < 0 or > 9)
            {
                return -1;
            }

            value = value * 10 + digit;
        }

        return value;
    }
}
