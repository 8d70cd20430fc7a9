namespace LifeOs.Core.Health;

/// <summary>"A day" for a user: the local date in their time zone, shifted by the hour their day starts.</summary>
public static class LocalDay
{
    public static DateOnly Of(DateTime utc, TimeZoneInfo zone, int dayStartHour)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return DateOnly.FromDateTime(local.AddHours(-dayStartHour));
    }

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
