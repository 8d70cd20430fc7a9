using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using MudBlazor;

namespace LifeOs.Web.Components.Pages.Goals;

/// <summary>What a kind of goal is, for the form's kind cards.</summary>
public sealed record GoalKindInfo(GoalKind Kind, string Title, string Sentence, string Example, string Icon);

/// <summary>A goal's state in words: a short label for the chip, its colour, and the sentence that says why.</summary>
public sealed record GoalStateText(string Label, Color Color, string Detail);

/// <summary>Goals in words and in the user's units.</summary>
public static class GoalText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<GoalKindInfo> Kinds =
    [
        new(GoalKind.DailyTarget, "Every day", "A number to reach, or to stay under, each day.", "10,000 steps a day; resting heart rate at most 60", Icons.Material.Rounded.Today),
        new(GoalKind.WeeklyAverage, "Weekly average", "The week's average against a target, so one short night does not sink it.", "Sleep 7 h a night on average", Icons.Material.Rounded.Insights),
        new(GoalKind.WeeklyCount, "Days a week", "A target to meet on a number of days each week, not every day.", "10,000 steps on 4 days a week", Icons.Material.Rounded.EventRepeat),
        new(GoalKind.BodyTarget, "Body target by a date", "A weight or body measure to reach by a date, with the pace it needs.", "Weight 75 kg by 1 March", Icons.Material.Rounded.MonitorWeight),
        new(GoalKind.JournalHabit, "Journal habit", "Write in your journal on a number of days a week.", "A daily reflection every day; morning pages 5 days a week", Icons.Material.Rounded.EditNote),
    ];

    public static GoalKindInfo Kind(GoalKind kind) => Kinds.First(k => k.Kind == kind);

    public static string Value(string? metricCode, double canonical, UnitSystem units)
    {
        if (metricCode is null)
        {
            return canonical.ToString("0", Invariant);
        }

        var metric = MetricCatalogue.Get(metricCode);
        var unit = metric.DisplayFor(units);
        var value = unit.FromCanonical(canonical);
        return unit.Label switch
        {
            "h" => DisplayUnit.HoursAndMinutes(value),
            "steps" or "" or "score" => value.ToString("#,0", Invariant),
            "%" => value.ToString("0.#", Invariant) + "%",
            _ => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.#", Invariant) + " " + unit.Label,
        };
    }

    public static string Describe(Goal goal, UnitSystem units, IReadOnlyList<(string Code, string Name)> journalKinds)
    {
        var comparison = goal.Comparison == Comparison.AtLeast ? "at least" : "at most";
        var metric = goal.MetricCode is { } code ? MetricCatalogue.Get(code).DisplayName : "";
        var target = Value(goal.MetricCode, goal.Target, units);
        var text = goal.Kind switch
        {
            GoalKind.DailyTarget => $"{metric} {comparison} {target}, every day",
            GoalKind.WeeklyAverage => $"Weekly average {metric.ToLowerInvariant()} {comparison} {target}",
            GoalKind.WeeklyCount => $"{Days(goal.DaysPerWeek ?? 7)} a week with {metric.ToLowerInvariant()} {comparison} {target}",
            GoalKind.BodyTarget => $"{metric} {target} by {goal.EndDate?.ToString("d MMMM yyyy", Invariant)}",
            _ => $"{KindName(goal.JournalKind, journalKinds)} {(goal.DaysPerWeek is 7 or null ? "every day" : $"{Days(goal.DaysPerWeek.Value)} a week")}",
        };
        return goal.EndDate is { } end && goal.Kind != GoalKind.BodyTarget ? $"{text}, until {end.ToString("d MMM yyyy", Invariant)}" : text;
    }

    /// <summary>A rate such as "−0.35 kg/wk": small rates keep two decimals, so a slow pace does not read as zero.</summary>
    public static string PerWeek(string? metricCode, double canonicalPerWeek, UnitSystem units)
    {
        var sign = canonicalPerWeek < 0 ? "−" : "+";
        if (metricCode is not null && MetricCatalogue.Get(metricCode).DisplayFor(units) is { } unit && unit.Label is not ("h" or "steps" or "" or "score"))
        {
            var value = Math.Abs(unit.FromCanonical(canonicalPerWeek) - unit.FromCanonical(0));
            var number = value.ToString(value < 1 ? "0.0#" : "0.#", Invariant);
            return $"{sign}{number}{(unit.Label == "%" ? "" : " ")}{unit.Label}/wk";
        }

        return $"{sign}{Value(metricCode, Math.Abs(canonicalPerWeek), units)}/wk";
    }

    public static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    public static string Weeks(int count) => count == 1 ? "1 week" : $"{count} weeks";

    private static string KindName(string? kind, IReadOnlyList<(string Code, string Name)> kinds) =>
        kind is null ? "A journal entry" : kinds.FirstOrDefault(k => k.Code == kind).Name ?? kind;

    /// <summary>A day of the strip in words; days-a-week goals say "not met" (a day off is not a failure).</summary>
    public static string Result(DayResult result, bool daysAWeek = false) => result switch
    {
        DayResult.Hit => "met",
        DayResult.Missed => daysAWeek ? "not met" : "missed",
        DayResult.NoData => "no data",
        DayResult.Pending => "not over yet",
        _ => "not part of the goal",
    };

    /// <summary>
    /// The state in words. Each sentence quotes the numbers it rests on (the week's days, the average, the
    /// line's value), which the card shows beside it, so the words and the strip say the same thing.
    /// </summary>
    public static GoalStateText State(GoalStatus status, UnitSystem units)
    {
        var goal = status.Goal;
        var week = status.Week;
        var body = status.Body;
        string V(double canonical) => Value(goal.MetricCode, canonical, units);

        return status.State switch
        {
            GoalState.NotStarted => new("Not started", Color.Default, $"Starts on {goal.StartDate.ToString("ddd d MMM yyyy", Invariant)}."),
            GoalState.Ended => new("Ended", Color.Default, $"Ended on {goal.EndDate?.ToString("d MMM yyyy", Invariant)}."),
            GoalState.NotScoredYet when body is not null => new("No weigh-in yet", Color.Default,
                body.Current is null ? "Nothing to score until your first measurement." : "No measurement since the goal started."),
            GoalState.NotScoredYet => new("Not scored yet", Color.Default,
                week is { NoData: > 0 } ? "No data this week yet." : "Nothing scored this week yet: today is not over."),
            GoalState.OnTrack when body is { Current: { } now, Expected: { } line } =>
                new("On track", Color.Success, $"{V(now)} is on the line to your target (plan: {V(line)} by now)."),
            GoalState.OnTrack when week is { Unit: "average" } => new("On track", Color.Success, $"This week's average, {V(week.Achieved)}, meets the target so far."),
            GoalState.OnTrack => new("On track", Color.Success, week is { NoData: > 0 }
                ? $"Every day with data met this week ({Days(week.NoData)} without data)."
                : "Every day met this week so far."),
            GoalState.InProgress when week is not null => new("In progress", Color.Info,
                $"{Days((int)(week.Needed - week.Achieved))} more needed this week, {DaysLeft(week.DaysLeft)}."),
            GoalState.Met when body is not null => new("Reached", Color.Success, body.Current is { } now ? $"{V(now)}: target reached." : "Target reached."),
            GoalState.Met => new("Met", Color.Success, "This week's target is met."),
            GoalState.Behind when body is not null && body.TargetDate < TodayOf(status) => new("Behind", Color.Warning,
                $"Not reached by {body.TargetDate.ToString("d MMM yyyy", Invariant)}."),
            GoalState.Behind when body is { Current: { } now, Expected: { } line } => new("Behind", Color.Warning,
                $"{V(now)} is behind the line to your target (plan: {V(line)} by now)."),
            GoalState.Behind when week is { Unit: "average" } => new("Behind", Color.Warning, $"This week's average, {V(week.Achieved)}, is short of the target so far."),
            GoalState.Behind when week is not null && GoalEvaluator.IsDaysAWeek(goal) => new("Behind", Color.Warning,
                $"Can't be met this week: {Days((int)(week.Needed - week.Achieved))} more needed, {DaysLeft(week.DaysLeft)}."),
            GoalState.Behind when week is not null => new("Behind", Color.Warning, $"{(week.Missed == 1 ? "1 day" : $"{week.Missed} days")} missed this week."),
            _ => new("—", Color.Default, ""),
        };
    }

    private static string DaysLeft(int left) => left switch
    {
        0 => "none left",
        1 => "1 day left",
        _ => $"{left} days left",
    };

    private static DateOnly TodayOf(GoalStatus status) => status.Last30Days[^1].Day;
}
