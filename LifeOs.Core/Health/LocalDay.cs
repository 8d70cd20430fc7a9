namespace LifeOs.Core.Health;

/// <summary>"A day" for a user: the local date in their time zone, shifted by the hour their day starts.</summary>
public static class LocalDay
{
    public static DateOnly Of(DateTime utc, TimeZoneInfo zone, int dayStartHour)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return DateOnly.FromDateTime(local.AddHours(-dayStartHour));
    }
}
