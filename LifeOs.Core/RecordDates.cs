using System.Globalization;

namespace LifeOs.Core;

/// <summary>
/// The one rule for the date of anything a person records (a measurement, a journal entry): from 1900 up to the
/// end of the user's own local today. Forms show <see cref="Problem"/> as a field error, imports as a line-and-column
/// error, the API as a field error; no two copies of the rule.
/// </summary>
public static class RecordDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>The latest allowed day: the user's calendar today (a reading cannot come from tomorrow).</summary>
    public static DateOnly Latest(UserClock clock) => clock.CalendarToday;

    /// <returns>Null when <paramref name="day"/> (a calendar date in the user's zone) is allowed, else why not.</returns>
    public static string? Problem(DateOnly day, UserClock clock)
    {
        if (day < Earliest)
        {
            return "Choose a date in 1900 or later.";
        }

        var latest = Latest(clock);
        return day > latest
            ? string.Create(CultureInfo.InvariantCulture, $"Choose a date no later than today, {latest:yyyy-MM-dd}.")
            : null;
    }

    /// <returns>Null when the instant, read on the user's wall clock, falls on an allowed day, else why not.</returns>
    public static string? Problem(DateTime utc, UserClock clock) =>
        Problem(DateOnly.FromDateTime(clock.ToLocal(utc)), clock);
}
