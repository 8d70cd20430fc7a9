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
    private const string SqliteDaysByKind = """
        SELECT Kind, group_concat(CASE Kind WHEN 'WeeklyReview' THEN LocalDate || ifnull(Week, '--------') ELSE LocalDate END, '')
        FROM JournalEntries WHERE UserId = @user GROUP BY Kind
        """;

    /// <summary>The same on PostgreSQL, where the day is a date (so formatted) and string_agg is told the order group_concat gets from the index.</summary>
    private const string PostgresDaysByKind = """
        SELECT "Kind", string_agg(CASE "Kind" WHEN 'WeeklyReview' THEN to_char("LocalDate", 'YYYY-MM-DD') || coalesce("Week", '--------') ELSE to_char("LocalDate", 'YYYY-MM-DD') END, '' ORDER BY "LocalDate")
        FROM "JournalEntries" WHERE "UserId" = @user GROUP BY "Kind"
        """;

    public async Task<JournalStreaks> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var (today, grace) = await TodayAndGraceAsync(userId, cancellationToken);
        var (overall, daily, weeks) = await LoadAsync(userId, today, cancellationToken);
        var byKind = new Dictionary<JournalKind, Streak>();
        foreach (var kind in JournalKinds.All)
        {
            byKind[kind] = kind == JournalKind.WeeklyReview
                ? StreakCalculator.Weeks(weeks, today)
                : StreakCalculator.Runs(daily.GetValueOrDefault(kind, []), today, grace);
        }

        return new JournalStreaks(today, grace, StreakCalculator.Runs(overall, today, grace), byKind);
    }

    /// <summary>One streak: every kind together when <paramref name="kind"/> is null.</summary>
    public async Task<Streak> GetAsync(string userId, JournalKind? kind, CancellationToken cancellationToken = default)
    {
        var all = await GetAsync(userId, cancellationToken);
        return kind is { } k ? all.ByKind[k] : all.Overall;
    }

    /// <summary>
    /// Runs of consecutive days overall and per kind, and the weeks of weekly reviews, read from the
    /// covering index (UserId, Kind, LocalDate, Week): long entries never leave the disk for a streak.
    /// </summary>
    private async Task<(List<DayRun> Overall, Dictionary<JournalKind, List<DayRun>> ByKind, List<DateOnly> Weeks)> LoadAsync(
        string userId, DateOnly today, CancellationToken cancellationToken)
    {
        var byKind = new Dictionary<JournalKind, List<DayRun>>();
        var weeks = new List<DateOnly>();
        var daysByKind = new List<List<DateOnly>>();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            // One row per kind, its values as one string of fixed-width values: reading 10,000 rows one by
            // one costs far more. A plain GROUP BY walks the index without a sorter; a weekly review also
            // carries its week ("yyyy-MM-dd" + "yyyy-Www", or "--------" when it has none). Days after today
            // are dropped here, so the index range stays one seek.
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = db.Database.IsNpgsql() ? PostgresDaysByKind : SqliteDaysByKind;
                var parameter = command.CreateParameter();
                parameter.ParameterName = "user";
                parameter.Value = userId;
                command.Parameters.Add(parameter);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (KindOf(reader.GetString(0)) is not { } kind || reader.IsDBNull(1))
                    {
                        continue;
                    }

                    var text = reader.GetString(1);
                    var width = kind == JournalKind.WeeklyReview ? 18 : 10;
                    var days = new List<DateOnly>(text.Length / width);
                    for (var i = 0; i + width <= text.Length; i += width)
                    {
                        if (LocalDay.ParseStored(text, i) is not { } day)
                        {
                            continue;
                        }

                        if (kind == JournalKind.WeeklyReview)
                        {
                            weeks.Add(ParseWeek(text, i + 10) ?? IsoWeek.Monday(day));
                        }

                        if (day <= today)
                        {
                            days.Add(day);
                        }
                    }

                    // The index hands the days over in order; sorting only if it ever did not keeps that an optimisation, not a rule.
                    if (!IsAscending(days))
                    {
                        days.Sort();
                    }

                    if (kind != JournalKind.WeeklyReview)
                    {
                        byKind[kind] = StreakCalculator.ToRunsSorted(days);
                    }

                    daysByKind.Add(days);
                }
            }

            return (StreakCalculator.ToRunsSorted(MergeAscending(daysByKind)), byKind, weeks);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Every kind's days in one ascending sequence, merged rather than sorted again.</summary>
    private static IEnumerable<DateOnly> MergeAscending(List<List<DateOnly>> lists)
    {
        var next = new int[lists.Count];
        while (true)
        {
            var pick = -1;
            for (var i = 0; i < lists.Count; i++)
            {
                if (next[i] < lists[i].Count && (pick < 0 || lists[i][next[i]] < lists[pick][next[pick]]))
                {
                    pick = i;
                }
            }

            if (pick < 0)
            {
                yield break;
            }

            yield return lists[pick][next[pick]++];
        }
    }

    private static bool IsAscending(List<DateOnly> days)
    {
        for (var i = 1; i < days.Count; i++)
        {
            if (days[i] < days[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private async Task<(DateOnly Today, bool Grace)> TodayAndGraceAsync(string userId, CancellationToken cancellationToken)
    {
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var grace = await db.JournalPreferences.AsNoTracking()
            .Where(p => p.UserId == userId).Select(p => p.StreakGraceRule).SingleOrDefaultAsync(cancellationToken);
        return (clock.Today, grace);
    }

    private static JournalKind? KindOf(string stored) => stored switch
    {
        nameof(JournalKind.MorningPages) => JournalKind.MorningPages,
        nameof(JournalKind.DailyReflection) => JournalKind.DailyReflection,
        nameof(JournalKind.WeeklyReview) => JournalKind.WeeklyReview,
        nameof(JournalKind.Note) => JournalKind.Note,
        _ => null,
    };

    /// <summary>"yyyy-Www" in place, as <see cref="IsoWeek.TryParse"/> reads it; null for "--------" or anything else.</summary>
    private static DateOnly? ParseWeek(string text, int at)
    {
        if (text.Length < at + 8 || text[at + 4] != '-' || text[at + 5] != 'W')
        {
            return null;
        }

        var (year, week) = (LocalDay.Digits(text, at, 4), LocalDay.Digits(text, at + 6, 2));
        return year is >= 1 and <= 9998 && week >= 1 && week <= System.Globalization.ISOWeek.GetWeeksInYear(year)
            ? DateOnly.FromDateTime(System.Globalization.ISOWeek.ToDateTime(year, week, DayOfWeek.Monday))
            : null;
    }
}

/// <summary>Consecutive days <paramref name="First"/> to <paramref name="Last"/>, each with an entry.</summary>
public readonly record struct DayRun(DateOnly First, DateOnly Last, int Days);

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
    public static Streak Days(IEnumerable<DateOnly> dates, DateOnly today, bool graceRule) =>
        Runs(ToRuns(dates.Where(d => d <= today)), today, graceRule);

    /// <summary>The same rules over runs of consecutive days (ascending, none after today), as SQL hands them over.</summary>
    public static Streak Runs(IReadOnlyList<DayRun> runs, DateOnly today, bool graceRule)
    {
        if (runs.Count == 0)
        {
            return Streak.None(StreakUnit.Day);
        }

        var run = runs[0].Days;
        var longest = run;
        DateOnly? lastForgiven = null;
        for (var i = 1; i < runs.Count; i++)
        {
            var missed = runs[i - 1].Last.AddDays(1);
            if (graceRule && runs[i].First.DayNumber - runs[i - 1].Last.DayNumber == 2 && CanForgive(missed, lastForgiven))
            {
                run += runs[i].Days;
                lastForgiven = missed;
            }
            else
            {
                run = runs[i].Days;
                lastForgiven = null;
            }

            longest = Math.Max(longest, run);
        }

        var last = runs[^1].Last;
        var sinceLast = today.DayNumber - last.DayNumber;
        var alive = sinceLast <= 1 || (graceRule && sinceLast == 2 && CanForgive(today.AddDays(-1), lastForgiven));
        return new Streak(alive ? run : 0, longest, last, StreakUnit.Day);
    }

    /// <summary>Distinct days grouped into runs of consecutive days, ascending.</summary>
    public static List<DayRun> ToRuns(IEnumerable<DateOnly> dates) => ToRunsSorted(dates.Distinct().Order());

    /// <summary>Like <see cref="ToRuns"/> for days already in ascending order (repeats allowed), in one pass.</summary>
    public static List<DayRun> ToRunsSorted(IEnumerable<DateOnly> ascending)
    {
        var runs = new List<DayRun>();
        foreach (var day in ascending)
        {
            if (runs.Count > 0 && runs[^1].Last == day)
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].Last.DayNumber + 1 == day.DayNumber)
            {
                runs[^1] = runs[^1] with { Last = day, Days = runs[^1].Days + 1 };
            }
            else
            {
                runs.Add(new DayRun(day, day, 1));
            }
        }

        return runs;
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
