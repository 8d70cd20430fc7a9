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

/// <summary>One day of a goal's 30-day strip.</summary>
public readonly record struct DayMark(DateOnly Day, DayResult Result);

/// <summary>
/// Where a goal stands now, in one word. Each state is decided from the same day results as the strip and
/// the week's numbers (never from a second rule of its own), so the word cannot say what the strip does not.
/// </summary>
public enum GoalState
{
    /// <summary>Starts after today.</summary>
    NotStarted,

    /// <summary>A daily or weekly goal whose last day has passed.</summary>
    Ended,

    /// <summary>Nothing to judge yet: no day scored this week (today is not over, or there is no data), or no weigh-in since a body target started.</summary>
    NotScoredYet,

    /// <summary>
    /// Every-day goals: every day scored this week was met (and at least one was). Weekly averages: the
    /// average of the days scored so far meets the target. Body targets: the latest weigh-in is on or better
    /// than the line from where the user started to the target (the strip's own test for that day).
    /// </summary>
    OnTrack,

    /// <summary>Days-a-week goals: not met yet, and enough days are left in the week to meet it.</summary>
    InProgress,

    /// <summary>This week's target is met (every day of it, or enough days), or the body target is reached.</summary>
    Met,

    /// <summary>
    /// Every-day goals: a day this week was missed. Days-a-week goals: too few days are left to meet it.
    /// Weekly averages: below the target so far. Body targets: the latest weigh-in is behind the line, or the date passed.
    /// </summary>
    Behind,
}

/// <summary>
/// The week in progress (or one under review), counted from the same day results as the strip.
/// <paramref name="Achieved"/>: days met, or the average of the days scored. <paramref name="Needed"/>: days needed
/// this week (every day of the week that is part of the goal, or the days a week, at most as many as the week
/// holds), or the target. <paramref name="DaysWithData"/>: days scored so far (met or missed).
/// <paramref name="DaysLeft"/>: today while it is not over, and the days after it that are part of the goal.
/// </summary>
public sealed record WeekScore(double Achieved, double Needed, int DaysWithData, bool Hit, string Unit, int Missed, int NoData, int DaysLeft);

/// <summary>
/// A body target's progress. <paramref name="OnTrack"/>: reached, or the latest weigh-in is on or better than
/// <paramref name="Expected"/>, the line's value on that day (from where the user started to the target on its date).
/// The projection from the 30-day trend is shown beside it, but does not decide it.
/// </summary>
public sealed record BodyProgress(
    double? Current,
    DateOnly? CurrentDay,
    double Target,
    DateOnly TargetDate,
    double? RequiredPerWeek,
    double? ActualPerWeek,
    DateOnly? ProjectedDate,
    bool Reached,
    bool OnTrack,
    double? Expected);

/// <summary>Where a goal stands, computed fresh from the data each time (so it can never disagree with it).</summary>
public sealed record GoalStatus(
    Goal Goal,
    double? TodayValue,
    DayResult Today,
    WeekScore? Week,
    int CurrentStreak,
    int BestStreak,
    bool StreakInWeeks,
    IReadOnlyList<DayMark> Last30Days,
    BodyProgress? Body,
    GoalState State);

/// <summary>
/// Pure evaluation of one goal over the user's local days. Weeks start on Monday (ISO). A day without data
/// is not a miss: it neither counts towards a streak nor breaks it. With the grace rule, one missed day in
/// any 7 bridges a daily streak instead of breaking it (it does not count towards it); weekly streaks count
/// whole weeks, the week in progress only once it is hit.
/// </summary>
public static class GoalEvaluator
{
    public static GoalStatus Evaluate(Goal goal, DateOnly today, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays, bool grace)
    {
        var end = goal.Kind != GoalKind.BodyTarget && goal.EndDate is { } last && last < today ? last : today;
        var baseline = goal.Kind == GoalKind.BodyTarget ? Baseline(goal, values) : null;
        DayResult Result(DateOnly day) => Day(goal, day, today, end, values, journalDays, baseline);

        var strip = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).Select(d => new DayMark(d, Result(d))).ToList();
        double? todayValue = values.TryGetValue(today, out var value) ? value : null;

        if (goal.Kind == GoalKind.BodyTarget)
        {
            var body = Body(goal, today, values, baseline);
            return new GoalStatus(goal, todayValue, Result(today), null, 0, 0, false, strip, body, BodyState(goal, today, body));
        }

        var weekly = IsDaysAWeek(goal) || goal.Kind == GoalKind.WeeklyAverage;
        var (current, best) = weekly ? WeekStreaks(goal, today, end, Result, values) : DayStreaks(goal, today, end, Result, grace);
        var week = Week(goal, WeekStart(today), today, Result, values);
        return new GoalStatus(goal, todayValue, Result(today), week, current, best, weekly, strip, null, State(goal, today, week));
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static bool Meets(Goal goal, double value) =>
        goal.Comparison == Comparison.AtLeast ? value >= goal.Target : value <= goal.Target;

    /// <summary>A goal met on some days of each week (a number of days, or a journal habit on fewer than 7), rather than every day.</summary>
    public static bool IsDaysAWeek(Goal goal) =>
        goal.Kind == GoalKind.WeeklyCount || (goal.Kind == GoalKind.JournalHabit && (goal.DaysPerWeek ?? 7) < 7);

    private static DayResult Day(Goal goal, DateOnly day, DateOnly today, DateOnly end, IReadOnlyDictionary<DateOnly, double> values, IReadOnlySet<DateOnly> journalDays, (DateOnly Day, double Value)? baseline)
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

        var met = goal.Kind == GoalKind.BodyTarget && baseline is { } start ? OnTrajectory(goal, day, value, start) : Meets(goal, value);
        // Today is not over for a running total: 7,000 steps by noon is not a miss yet. Last night's
        // sleep or this morning's weigh-in is final.
        var runningTotal = MetricCatalogue.Find(goal.MetricCode ?? "") is { Group: MetricGroup.Activity, Aggregation: Aggregation.Sum };
        return met ? DayResult.Hit : day == today && runningTotal ? DayResult.Pending : DayResult.Missed;
    }

    /// <summary>
    /// Where the user stood when a body target started: the average of the week up to its start (one weigh-in
    /// a little low or high would otherwise tilt the whole line), else the first weigh-in after it, from its own day.
    /// </summary>
    private static (DateOnly Day, double Value)? Baseline(Goal goal, IReadOnlyDictionary<DateOnly, double> values)
    {
        var before = values.Where(v => v.Key <= goal.StartDate && v.Key > goal.StartDate.AddDays(-7)).Select(v => v.Value).ToList();
        if (before.Count > 0)
        {
            return (goal.StartDate, before.Average());
        }

        var after = values.Where(v => v.Key > goal.StartDate).OrderBy(v => v.Key).Take(1).ToList();
        return after.Count == 0 ? null : (after[0].Key, after[0].Value);
    }

    /// <summary>
    /// A body target's day is a hit when the value is on the straight line from where the user stood when
    /// the goal started to the target on its date (or better), so the strip shows progress, not only arrival.
    /// </summary>
    private static bool OnTrajectory(Goal goal, DateOnly day, double value, (DateOnly Day, double Value) baseline) =>
        OnOrBetter(goal, value, Line(goal, day, baseline));

    private static double Line(Goal goal, DateOnly day, (DateOnly Day, double Value) baseline)
    {
        var end = goal.EndDate ?? day;
        var span = Math.Max(end.DayNumber - baseline.Day.DayNumber, 1);
        var progress = Math.Clamp((day.DayNumber - baseline.Day.DayNumber) / (double)span, 0, 1);
        return baseline.Value + ((goal.Target - baseline.Value) * progress);
    }

    private static bool OnOrBetter(Goal goal, double value, double expected) =>
        goal.Comparison == Comparison.AtLeast ? value >= expected - 1e-9 : value <= expected + 1e-9;

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
                case DayResult.Pending or DayResult.NoData:
                    break; // today is not over; a day without data is not a miss
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

    private static (int Current, int Best) WeekStreaks(Goal goal, DateOnly today, DateOnly end, Func<DateOnly, DayResult> result, IReadOnlyDictionary<DateOnly, double> values)
    {
        int run = 0, best = 0;
        var thisWeek = WeekStart(today);
        for (var week = WeekStart(goal.StartDate); week <= end; week = week.AddDays(7))
        {
            if (Week(goal, week, today, result, values).Hit)
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

    private static WeekScore Week(Goal goal, DateOnly monday, DateOnly today, Func<DateOnly, DayResult> result, IReadOnlyDictionary<DateOnly, double> values)
    {
        // Plain counting (it runs for every week of a goal's history to find its streaks, 20 goals × 5 years on a dashboard).
        int inGoal = 0, hits = 0, missed = 0, noData = 0, daysLeft = 0;
        var scoredSum = 0.0;
        for (var i = 0; i < 7; i++)
        {
            var day = monday.AddDays(i);
            if (day < goal.StartDate || (goal.EndDate is { } last && day > last))
            {
                continue;
            }

            inGoal++;
            switch (day > today ? DayResult.Pending : result(day))
            {
                case DayResult.Hit:
                    hits++;
                    scoredSum += goal.Kind == GoalKind.WeeklyAverage ? values[day] : 0;
                    break;
                case DayResult.Missed:
                    missed++;
                    scoredSum += goal.Kind == GoalKind.WeeklyAverage ? values[day] : 0;
                    break;
                case DayResult.NoData:
                    noData++;
                    break;
                case DayResult.Pending:
                    daysLeft++; // today's running total, or a day still to come
                    break;
            }
        }

        var scored = hits + missed;
        if (goal.Kind == GoalKind.WeeklyAverage)
        {
            // The days the strip colours: today's running total counts once it is on target, like its cell.
            var average = scored == 0 ? 0 : scoredSum / scored;
            return new WeekScore(average, goal.Target, scored, scored > 0 && Meets(goal, average), "average", missed, noData, daysLeft);
        }

        // A week the goal only partly covers (it started on a Friday) needs no more days than it holds.
        var needed = IsDaysAWeek(goal) ? Math.Min(goal.DaysPerWeek ?? 7, inGoal) : inGoal;
        return new WeekScore(hits, needed, scored, needed > 0 && hits >= needed, "days", missed, noData, daysLeft);
    }

    private static GoalState State(Goal goal, DateOnly today, WeekScore week)
    {
        if (goal.StartDate > today)
        {
            return GoalState.NotStarted;
        }

        if (goal.EndDate is { } last && last < today)
        {
            return GoalState.Ended;
        }

        if (goal.Kind == GoalKind.WeeklyAverage)
        {
            return week.DaysWithData == 0 ? GoalState.NotScoredYet : week.Hit ? GoalState.OnTrack : GoalState.Behind;
        }

        if (IsDaysAWeek(goal))
        {
            return week.Hit ? GoalState.Met : week.Achieved + week.DaysLeft < week.Needed ? GoalState.Behind : GoalState.InProgress;
        }

        // Every day: one missed day this week is behind; a day without data is not a miss.
        return week.Missed > 0 ? GoalState.Behind : week.Hit ? GoalState.Met : week.Achieved > 0 ? GoalState.OnTrack : GoalState.NotScoredYet;
    }

    private static GoalState BodyState(Goal goal, DateOnly today, BodyProgress body) =>
        goal.StartDate > today ? GoalState.NotStarted
        : body.Reached ? GoalState.Met
        : body.CurrentDay is not { } day || day < goal.StartDate ? GoalState.NotScoredYet
        : body.TargetDate < today ? GoalState.Behind
        : body.OnTrack ? GoalState.OnTrack
        : GoalState.Behind;

    private static BodyProgress Body(Goal goal, DateOnly today, IReadOnlyDictionary<DateOnly, double> values, (DateOnly Day, double Value)? baseline)
    {
        var targetDate = goal.EndDate ?? today;
        var known = values.Where(v => v.Key <= today && v.Key >= goal.StartDate.AddDays(-30)).OrderBy(v => v.Key).ToList();
        if (known.Count == 0)
        {
            return new BodyProgress(null, null, goal.Target, targetDate, null, null, null, false, false, null);
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

        // On track is the strip's own test for the latest weigh-in (on the line from the start to the target, or
        // better), not the projection: a trend can promise the date while every recent day is behind the line.
        double? expected = baseline is { } start && currentDay >= goal.StartDate ? Line(goal, currentDay, start) : null;
        var onTrack = reached || (expected is { } line && OnOrBetter(goal, current, line));
        return new BodyProgress(current, currentDay, goal.Target, targetDate, required, actual, projected, reached, onTrack, expected);
    }

    private static double? Statistics(IReadOnlyList<(double X, double Y)> points) =>
        points.Count >= 3 ? Dashboard.Statistics.Slope(points) : null;
}
