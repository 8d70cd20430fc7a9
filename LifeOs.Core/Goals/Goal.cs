namespace LifeOs.Core.Goals;

public enum GoalKind
{
    /// <summary>Every day: a metric at least / at most a target (10,000 steps; resting heart rate ≤ 60).</summary>
    DailyTarget,

    /// <summary>Each week: the week's average of a metric against a target (average sleep ≥ 7 h).</summary>
    WeeklyAverage,

    /// <summary>Each week: at least N days on which the metric met the target (4 days with 10,000 steps).</summary>
    WeeklyCount,

    /// <summary>A body measurement to reach by a date (weight 75 kg by 1 March).</summary>
    BodyTarget,

    /// <summary>A journal entry (of one kind, or any) on N days a week (7 = every day).</summary>
    JournalHabit,
}

public enum Comparison
{
    AtLeast,
    AtMost,
}

/// <summary>A goal a user set once; its results are computed from daily values and journal days, never stored.</summary>
public class Goal
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public GoalKind Kind { get; set; }

    /// <summary>A catalogue code; null for journal habits.</summary>
    public string? MetricCode { get; set; }

    public Comparison Comparison { get; set; }

    /// <summary>In the metric's canonical unit (not used by journal habits).</summary>
    public double Target { get; set; }

    /// <summary>Weekly count and journal habit: days a week needed (1–7).</summary>
    public int? DaysPerWeek { get; set; }

    /// <summary>Journal habit: the entry kind that counts, or null for any entry.</summary>
    public string? JournalKind { get; set; }

    public DateOnly StartDate { get; set; }

    /// <summary>Daily and weekly goals: optional last day. Body targets: the date to reach the target by.</summary>
    public DateOnly? EndDate { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }
}
