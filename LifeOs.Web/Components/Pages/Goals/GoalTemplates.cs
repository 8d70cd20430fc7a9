using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Goals;

/// <summary>Ready-made goals for the empty state and /goals/new?template=…, targets in the user's units.</summary>
public static class GoalTemplates
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
    [
        ("steps", "10,000 steps a day"),
        ("sleep", "Sleep 7 h 30 a night"),
        ("resting-hr", "Resting heart rate ≤ 60"),
        ("weekly-sleep", "Average 7 h of sleep a week"),
        ("active-days", "4 days a week with 10,000 steps"),
        ("weight", "Reach a weight by a date"),
        ("reflection", "A daily reflection every day"),
        ("morning-pages", "Morning pages 5 days a week"),
    ];

    public static GoalInput? For(string? key, DateOnly today, UnitSystem units)
    {
        GoalInput Metric(string name, GoalKind kind, string code, Comparison comparison, double canonical, int? days = null) => new()
        {
            Name = name,
            Kind = kind,
            MetricCode = code,
            Comparison = comparison,
            Target = Math.Round(MetricCatalogue.Get(code).DisplayFor(units).FromCanonical(canonical), 1),
            DaysPerWeek = days,
            StartDate = today,
        };

        return key switch
        {
            "steps" => Metric("10,000 steps", GoalKind.DailyTarget, MetricCatalogue.Steps, Comparison.AtLeast, 10_000),
            "sleep" => Metric("Sleep 7 h 30", GoalKind.DailyTarget, MetricCatalogue.SleepDuration, Comparison.AtLeast, 7.5 * 3600),
            "resting-hr" => Metric("Resting heart rate at most 60", GoalKind.DailyTarget, MetricCatalogue.RestingHeartRate, Comparison.AtMost, 60),
            "weekly-sleep" => Metric("Average 7 h of sleep", GoalKind.WeeklyAverage, MetricCatalogue.SleepDuration, Comparison.AtLeast, 7 * 3600),
            "active-days" => Metric("4 active days a week", GoalKind.WeeklyCount, MetricCatalogue.Steps, Comparison.AtLeast, 10_000, 4),
            "weight" => WithEnd(Metric("Reach 75 kg", GoalKind.BodyTarget, MetricCatalogue.Weight, Comparison.AtMost, 75), today.AddDays(98)),
            "reflection" => new() { Name = "Daily reflection", Kind = GoalKind.JournalHabit, JournalKind = "DailyReflection", DaysPerWeek = 7, StartDate = today },
            "morning-pages" => new() { Name = "Morning pages", Kind = GoalKind.JournalHabit, JournalKind = "MorningPages", DaysPerWeek = 5, StartDate = today },
            _ => null,
        };
    }

    private static GoalInput WithEnd(GoalInput input, DateOnly end)
    {
        input.EndDate = end;
        return input;
    }
}
