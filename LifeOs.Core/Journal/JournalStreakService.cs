using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

public enum StreakUnit
{
    Day,
    Week,
}

/// <param name="Current">Days (or weeks) in the streak that is still alive today; 0 when it is broken.</param>
/// <param name="Longest">The longest streak ever, counting only days (or weeks) with an entry.</param>
/// <param name="LastDate">The last day with an entry (for weeks: the Monday of the last week), or null.</param>
public sealed record Streak(int Current, int Longest, DateOnly? LastDate, StreakUnit Unit)
{
    public static Streak None(StreakUnit unit) => new(0, 0, null, unit);
}

/// <param name="Today">The user's local day the streaks were computed for.</param>
public sealed record JournalStreaks(DateOnly Today, bool GraceRule, Streak Overall, IReadOnlyDictionary<JournalKind, Streak> ByKind);

/// <summary>
/// Streaks of days with a journal entry, in the user's time zone and day-start hour, for the journal,
/// the dashboard and goals. Weekly reviews count in ISO weeks (the week they review).
/// </summary>
public sealed class JournalStreakService(LifeOsDbContext db, TimeProvider time)
{
    public async Task<JournalStreaks> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var (today, grace) = await TodayAndGraceAsync(userId, cancellationToken);
        var rows = await LoadAsync(userId, null, cancellationToken);
        var byKind = new Dictionary<JournalKind, Streak>();
        foreach (var kind in JournalKinds.All)
        {
            byKind[kind] = Compute(rows.Where(r => r.Kind == kind), kind, today, grace);
        }

        return new JournalStreaks(today, grace, StreakCalculator.Days(rows.Select(r => r.Date), today, grace), byKind);
    }

    /// <summary>One streak: every kind together when <paramref name="kind"/> is null.</summary>
    public async Task<Streak> GetAsync(string userId, JournalKind? kind, CancellationToken cancellationToken = default)
    {
        var (today, grace) = await TodayAndGraceAsync(userId, cancellationToken);
        var rows = await LoadAsync(userId, kind, cancellationToken);
        return kind is { } k ? Compute(rows, k, today, grace) : StreakCalculator.Days(rows.Select(r => r.Date), today, grace);
    }

    private static Streak Compute(IEnumerable<Row> rows, JournalKind kind, DateOnly today, bool grace) =>
        kind == JournalKind.WeeklyReview
            ? StreakCalculator.Weeks(rows.Select(r => IsoWeek.TryParse(r.Week, out var monday) ? monday : IsoWeek.Monday(r.Date)), today)
            : StreakCalculator.Days(rows.Select(r => r.Date), today, grace);

    private readonly record struct Row(JournalKind Kind, DateOnly Date, string? Week);

    /// <summary>
    /// Kind, day and reviewed week of every entry, straight from the covering index
    /// (UserId, Kind, LocalDate, Week): years of long entries never leave the disk for a streak.
    /// Days come back as day numbers, which read far faster than date strings.
    /// </summary>
    private async Task<List<Row>> LoadAsync(string userId, JournalKind? kind, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            // julianday('0001-01-01') is 1721425.5, so this is DateOnly.DayNumber.
            command.CommandText =
                "SELECT Kind, CAST(julianday(LocalDate) - 1721425.5 AS INTEGER), Week FROM JournalEntries " +
                "WHERE UserId = $user" + (kind is null ? "" : " AND Kind = $kind");
            var user = command.CreateParameter();
            user.ParameterName = "$user";
            user.Value = userId;
            command.Parameters.Add(user);
            if (kind is { } k)
            {
                var kindParameter = command.CreateParameter();
                kindParameter.ParameterName = "$kind";
                kindParameter.Value = k.ToString();
                command.Parameters.Add(kindParameter);
            }

            var rows = new List<Row>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Enum.TryParse<JournalKind>(reader.GetString(0), out var rowKind) && !reader.IsDBNull(1))
                {
                    rows.Add(new Row(rowKind, DateOnly.FromDayNumber(reader.GetInt32(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private async Task<(DateOnly Today, bool Grace)> TodayAndGraceAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TimeZoneId, u.DayStartHour })
            .SingleAsync(cancellationToken);
        var grace = await db.JournalPreferences.AsNoTracking()
            .Where(p => p.UserId == userId).Select(p => p.StreakGraceRule).SingleOrDefaultAsync(cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(user.TimeZoneId);
        return (LocalDay.Of(time.GetUtcNow().UtcDateTime, zone, user.DayStartHour), grace);
    }

}

/// <summary>The streak arithmetic, free of storage and clocks.</summary>
public static class StreakCalculator
{
    /// <summary>Days after the previous forgiven miss before another miss can be forgiven ("one per 7").</summary>
    public const int GraceWindowDays = 7;

    /// <summary>
    /// Streaks of consecutive days with an entry. Days after <paramref name="today"/> are ignored. A streak
    /// is still current when its last day is today or yesterday (today is not over yet). With the grace rule,
    /// a single missed day does not break a streak if no other missed day was forgiven in the 7 days before
    /// it; missed days are never counted in the length.
    /// </summary>
    public static Streak Days(IEnumerable<DateOnly> dates, DateOnly today, bool graceRule)
    {
        var days = dates.Where(d => d <= today).Distinct().Order().ToArray();
        if (days.Length == 0)
        {
            return Streak.None(StreakUnit.Day);
        }

        var run = 1;
        var longest = 1;
        DateOnly? lastForgiven = null;
        for (var i = 1; i < days.Length; i++)
        {
            var gap = days[i].DayNumber - days[i - 1].DayNumber;
            if (gap == 1)
            {
                run++;
            }
            else if (graceRule && gap == 2 && CanForgive(days[i - 1].AddDays(1), lastForgiven))
            {
                run++;
                lastForgiven = days[i - 1].AddDays(1);
            }
            else
            {
                run = 1;
                lastForgiven = null;
            }

            longest = Math.Max(longest, run);
        }

        var last = days[^1];
        var sinceLast = today.DayNumber - last.DayNumber;
        var alive = sinceLast <= 1 || (graceRule && sinceLast == 2 && CanForgive(today.AddDays(-1), lastForgiven));
        return new Streak(alive ? run : 0, longest, last, StreakUnit.Day);
    }

    /// <summary>Streaks of consecutive ISO weeks (given by their Mondays); current while the last one is this week or last week.</summary>
    public static Streak Weeks(IEnumerable<DateOnly> mondays, DateOnly today)
    {
        var thisWeek = IsoWeek.Monday(today);
        var weeks = mondays.Select(IsoWeek.Monday).Where(m => m <= thisWeek).Distinct().Order().ToArray();
        if (weeks.Length == 0)
        {
            return Streak.None(StreakUnit.Week);
        }

        var run = 1;
        var longest = 1;
        for (var i = 1; i < weeks.Length; i++)
        {
            run = weeks[i].DayNumber - weeks[i - 1].DayNumber == 7 ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        var alive = thisWeek.DayNumber - weeks[^1].DayNumber <= 7;
        return new Streak(alive ? run : 0, longest, weeks[^1], StreakUnit.Week);
    }

    private static bool CanForgive(DateOnly missed, DateOnly? lastForgiven) =>
        lastForgiven is not { } previous || missed.DayNumber - previous.DayNumber >= GraceWindowDays;
}
