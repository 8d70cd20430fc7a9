using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Goals;

/// <summary>Goals in words and in the user's units.</summary>
public static class GoalText
{
    public static string Value(string? metricCode, double canonical, UnitSystem units)
    {
        if (metricCode is null)
        {
            return canonical.ToString("0", CultureInfo.InvariantCulture);
        }

        var metric = MetricCatalogue.Get(metricCode);
        var unit = metric.DisplayFor(units);
        var value = unit.FromCanonical(canonical);
        return unit.Label switch
        {
            "h" => DisplayUnit.HoursAndMinutes(value),
            "steps" or "" or "score" => value.ToString("#,0", CultureInfo.InvariantCulture),
            _ => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + unit.Label,
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
            GoalKind.WeeklyCount => $"{goal.DaysPerWeek} days a week with {metric.ToLowerInvariant()} {comparison} {target}",
            GoalKind.BodyTarget => $"{metric} {target} by {goal.EndDate:d MMMM yyyy}",
            _ => $"{KindName(goal.JournalKind, journalKinds)} {(goal.DaysPerWeek is 7 or null ? "every day" : $"{goal.DaysPerWeek} days a week")}",
        };
        return goal.EndDate is { } end && goal.Kind != GoalKind.BodyTarget ? $"{text}, until {end:d MMM yyyy}" : text;
    }

    private static string KindName(string? kind, IReadOnlyList<(string Code, string Name)> kinds) =>
        kind is null ? "A journal entry" : kinds.FirstOrDefault(k => k.Code == kind).Name ?? kind;

    public static string Result(DayResult result) => result switch
    {
        DayResult.Hit => "hit",
        DayResult.Missed => "missed",
        DayResult.NoData => "no data",
        DayResult.Pending => "not over yet",
        _ => "not part of the goal",
    };
}
