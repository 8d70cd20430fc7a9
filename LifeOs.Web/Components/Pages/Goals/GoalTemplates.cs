using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Goals;

public sealed record GoalTemplate(string Key, string Label, GoalKind Kind);

/// <summary>Ready-made goals for the empty state and the form (/goals/new?template=…), targets in the user's units.</summary>
public static class GoalTemplates
{
    public static readonly IReadOnlyList<GoalTemplate> All =
    [
        new("steps", "10,000 steps a day", GoalKind.DailyTarget),
        new("sleep", "Sleep 7 h 30 a night", GoalKind.DailyTarget),
        new("resting-hr", "Resting heart rate ≤ 60", GoalKind.DailyTarget),
        new("weekly-sleep", "Average 7 h of sleep a week", GoalKind.WeeklyAverage),
        new("weekly-readiness", "Average readiness 75 a week", GoalKind.WeeklyAverage),
        new("active-days", "4 days a week with 10,000 steps", GoalKind.WeeklyCount),
        new("early-nights", "8 h of sleep on 3 nights a week", GoalKind.WeeklyCount),
        new("weight", "Reach a weight by a date", GoalKind.BodyTarget),
        new("body-fat", "Body fat 20% by a date", GoalKind.BodyTarget),
        new("reflection", "A daily reflection every day", GoalKind.JournalHabit),
        new("morning-pages", "Morning pages 5 days a week", GoalKind.JournalHabit),
    ];

    public static IEnumerable<GoalTemplate> Of(GoalKind kind) => All.Where(t => t.Kind == kind);

    /// <summary>The template's goal, starting today; null for an unknown key (a bad ?template= is simply ignored).</summary>
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
            "weekly-readiness" => Metric("Readiness 75 on average", GoalKind.WeeklyAverage, MetricCatalogue.ReadinessScore, Comparison.AtLeast, 75),
            "active-days" => Metric("4 active days a week", GoalKind.WeeklyCount, MetricCatalogue.Steps, Comparison.AtLeast, 10_000, 4),
            "early-nights" => Metric("3 long nights a week", GoalKind.WeeklyCount, MetricCatalogue.SleepDuration, Comparison.AtLeast, 8 * 3600, 3),
            "weight" => WithEnd(Metric("Reach 75 kg", GoalKind.BodyTarget, MetricCatalogue.Weight, Comparison.AtMost, 75), today.AddDays(98)),
            "body-fat" => WithEnd(Metric("Body fat 20%", GoalKind.BodyTarget, MetricCatalogue.FatRatio, Comparison.AtMost, 20), today.AddDays(126)),
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
