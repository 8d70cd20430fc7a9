using LifeOs.Core.Health;

namespace LifeOs.Core.Goals;

public enum DayResult
{
    /// <summary>Before the goal started or after it ended.</summary>
    Outside,
    Hit,
    Missed,

    /// <summary>No value that day: shown apart from a miss, because the user may simply not have worn the ring.</summary>
    NoData,

    /// <summary>Today, without a value yet: the day is not over.</summary>
    Pending,
}

public sealed record WeekScore(double Achieved, double Needed, int DaysWithData, bool Hit, string Unit);

public sealed record BodyProgress(
    double? Current,
    DateOnly? CurrentDay,
    double Target,
    DateOnly TargetDate,
    double? RequiredPerWeek,
    double? ActualPerWeek,
    DateOnly? ProjectedDate,
    bool Reached,
    bool OnTrack);

/// <summary>Where a goal stands, computed fresh from the data each time (so it can never disagree with it).</summary>
public sealed record GoalStatus(
    Goal Goal,
    double? TodayValue,
    DayResult Today,
    WeekScore? Week,
    int CurrentStreak,
    int BestStreak,
    bool StreakInWeeks,
    IReadOnlyList<(DateOnly Day, DayResult Result)> Last30Days,
    BodyProgress? Body);

/// <summary>
/// Pure evaluation of one goal over the user's local days. Weeks start on Monday (ISO). With the grace
/// rule, one missed day in any 7 bridges a daily streak instead of breaking it (it does not count towards
/// it); weekly streaks count whole weeks, the week in progress only once it is hit.
/// </summary>
public static class GoalEvaluator
{
    public static GoalStatus Evaluate(Goal goal, DateOnly today, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays, bool grace)
    {
        var end = goal.Kind != GoalKind.BodyTarget && goal.EndDate is { } last && last < today ? last : today;
        var baseline = goal.Kind == GoalKind.BodyTarget ? Baseline(goal, values) : null;
        var dayResult = (DateOnly day) => Day(goal, day, today, end, values, journalDays, baseline);

        var strip = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).Select(d => (d, dayResult(d))).ToList();
        values.TryGetValue(today, out var todayValue);
        var todayHas = values.ContainsKey(today);

        if (goal.Kind == GoalKind.BodyTarget)
        {
            var body = Body(goal, today, values);
            var streak = 0;
            return new GoalStatus(goal, todayHas ? todayValue : null, dayResult(today), null, streak, streak, false, strip, body);
        }

        var weekly = goal.Kind is GoalKind.WeeklyAverage or GoalKind.WeeklyCount || (goal.Kind == GoalKind.JournalHabit && (goal.DaysPerWeek ?? 7) < 7);
        var (current, best) = weekly ? WeekStreaks(goal, today, end, values, journalDays) : DayStreaks(goal, today, end, dayResult, grace);
        return new GoalStatus(goal, todayHas ? todayValue : null, dayResult(today), Week(goal, WeekStart(today), today, end, values, journalDays), current, best, weekly, strip, null);
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static bool Meets(Goal goal, double value) =>
        goal.Comparison == Comparison.AtLeast ? value >= goal.Target : value <= goal.Target;

    private static DayResult Day(Goal goal, DateOnly day, DateOnly today, DateOnly end, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays, double? baseline)
    {
        if (day < goal.StartDate || day > end)
        {
            return DayResult.Outside;
        }

        if (goal.Kind == GoalKind.JournalHabit)
        {
            return journalDays.Contains(day) ? DayResult.Hit : day == today ? DayResult.Pending : DayResult.Missed;
        }

        if (!values.TryGetValue(day, out var value))
        {
            return day == today ? DayResult.Pending : DayResult.NoData;
        }

        var met = baseline is { } start ? OnTrajectory(goal, day, value, start) : Meets(goal, value);
        // Today is not over for a running total: 7,000 steps by noon is not a miss yet. Last night's
        // sleep or this morning's weigh-in is final.
        var runningTotal = MetricCatalogue.Find(goal.MetricCode ?? "") is { Group: MetricGroup.Activity, Aggregation: Aggregation.Sum };
        return met ? DayResult.Hit : day == today && runningTotal ? DayResult.Pending : DayResult.Missed;
    }

    /// <summary>Where the user stood when a body target started: the last value on or before its start, else the first after.</summary>
    private static double? Baseline(Goal goal, IReadOnlyDictionary<DateOnly, double> values) =>
        values.Where(v => v.Key <= goal.StartDate).OrderByDescending(v => v.Key).Select(v => (double?)v.Value).FirstOrDefault()
            ?? values.Where(v => v.Key >= goal.StartDate).OrderBy(v => v.Key).Select(v => (double?)v.Value).FirstOrDefault();

    /// <summary>
    /// A body target's day is a hit when the value is on the straight line from where the user stood when
    /// the goal started to the target on its date (or better), so the strip shows progress, not only arrival.
    /// </summary>
    private static bool OnTrajectory(Goal goal, DateOnly day, double value, double baseline)
    {
        var end = goal.EndDate ?? day;
        var span = Math.Max(end.DayNumber - goal.StartDate.DayNumber, 1);
        var progress = Math.Clamp((day.DayNumber - goal.StartDate.DayNumber) / (double)span, 0, 1);
        var expected = baseline + ((goal.Target - baseline) * progress);
        return goal.Comparison == Comparison.AtLeast ? value >= expected - 1e-9 : value <= expected + 1e-9;
    }

    private static (int Current, int Best) DayStreaks(Goal goal, DateOnly today, DateOnly end, Func<DateOnly, DayResult> result, bool grace)
    {
        int run = 0, best = 0;
        DateOnly? lastForgiven = null;
        for (var day = goal.StartDate; day <= end; day = day.AddDays(1))
        {
            switch (result(day))
            {
                case DayResult.Hit:
                    run++;
                    best = Math.Max(best, run);
                    break;
                case DayResult.Pending:
                    break; // today is not over
                default:
                    if (grace && run > 0 && (lastForgiven is not { } forgiven || forgiven.DayNumber <= day.DayNumber - 7))
                    {
                        lastForgiven = day;
                    }
                    else
                    {
                        run = 0;
                        lastForgiven = null;
                    }

                    break;
            }
        }

        // An ended goal's streak ended with it.
        return (end < today ? 0 : run, best);
    }

    private static (int Current, int Best) WeekStreaks(Goal goal, DateOnly today, DateOnly end, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays)
    {
        int run = 0, best = 0;
        var thisWeek = WeekStart(today);
        for (var week = WeekStart(goal.StartDate); week <= end; week = week.AddDays(7))
        {
            var hit = Week(goal, week, today, end, values, journalDays).Hit;
            if (hit)
            {
                run++;
                best = Math.Max(best, run);
            }
            else if (week != thisWeek)
            {
                run = 0; // the week in progress can still be won
            }
        }

        return (end < today ? 0 : run, best);
    }

    private static WeekScore Week(Goal goal, DateOnly monday, DateOnly today, DateOnly end, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays)
    {
        var days = Enumerable.Range(0, 7).Select(monday.AddDays).Where(d => d >= goal.StartDate && d <= end && d <= today).ToList();
        var withData = days.Where(values.ContainsKey).ToList();
        switch (goal.Kind)
        {
            case GoalKind.WeeklyAverage:
                var average = withData.Count == 0 ? double.NaN : withData.Average(d => values[d]);
                return new WeekScore(average, goal.Target, withData.Count, withData.Count > 0 && Meets(goal, average), "average");
            case GoalKind.JournalHabit:
                var written = days.Count(journalDays.Contains);
                var needed = goal.DaysPerWeek ?? 7;
                return new WeekScore(written, needed, written, written >= needed, "days");
            case GoalKind.WeeklyCount:
                var hits = withData.Count(d => Meets(goal, values[d]));
                return new WeekScore(hits, goal.DaysPerWeek ?? 7, withData.Count, hits >= (goal.DaysPerWeek ?? 7), "days");
            default:
                var daily = withData.Count(d => Meets(goal, values[d]));
                return new WeekScore(daily, days.Count, withData.Count, daily == days.Count && days.Count > 0, "days");
        }
    }

    private static BodyProgress Body(Goal goal, DateOnly today, IReadOnlyDictionary<DateOnly, double> values)
    {
        var targetDate = goal.EndDate ?? today;
        var known = values.Where(v => v.Key <= today && v.Key >= goal.StartDate.AddDays(-30)).OrderBy(v => v.Key).ToList();
        if (known.Count == 0)
        {
            return new BodyProgress(null, null, goal.Target, targetDate, null, null, null, false, false);
        }

        var (currentDay, current) = (known[^1].Key, known[^1].Value);
        var reached = Meets(goal, current);
        var weeksLeft = (targetDate.DayNumber - today.DayNumber) / 7.0;
        double? required = reached ? 0 : weeksLeft > 0 ? (goal.Target - current) / weeksLeft : null;

        // The trend of the last 30 days with values, as a least-squares slope per week.
        var recent = known.Where(v => v.Key > currentDay.AddDays(-30)).Select(v => ((double)v.Key.DayNumber, v.Value)).ToList();
        var slope = Statistics(recent);
        double? actual = slope is { } s ? s * 7 : null;
        DateOnly? projected = null;
        if (!reached && slope is { } perDay && perDay != 0 && Math.Sign(goal.Target - current) == Math.Sign(perDay))
        {
            var days = (goal.Target - current) / perDay;
            if (days < 365 * 20)
            {
                projected = currentDay.AddDays((int)Math.Ceiling(days));
            }
        }

        var onTrack = reached || (projected is { } p && p <= targetDate);
        return new BodyProgress(current, currentDay, goal.Target, targetDate, required, actual, projected, reached, onTrack);
    }

    private static double? Statistics(IReadOnlyList<(double X, double Y)> points) =>
        points.Count >= 3 ? Dashboard.Statistics.Slope(points) : null;
}
