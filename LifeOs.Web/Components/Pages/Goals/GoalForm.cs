using System.ComponentModel.DataAnnotations;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Goals;

/// <summary>
/// The goal form's model. Property names match GoalInput's, so Core's field errors land beside their fields;
/// dates are DateTime for MudDatePicker; the kind is empty until the person picks one.
/// </summary>
public sealed class GoalForm
{
    [Required(ErrorMessage = "Give the goal a name.")]
    [StringLength(80, ErrorMessage = "Keep the name to 80 characters.")]
    public string? Name { get; set; }

    public GoalKind? Kind { get; set; }

    public string? MetricCode { get; set; }

    public Comparison Comparison { get; set; }

    public double? Target { get; set; }

    public int? DaysPerWeek { get; set; }

    /// <summary>Empty for any entry.</summary>
    public string JournalKind { get; set; } = "";

    public DateTime? StartDate { get; set; }

    public DateTime? EndDate { get; set; }

    public static GoalForm From(GoalInput input) => new()
    {
        Name = input.Name,
        Kind = input.Kind,
        MetricCode = input.MetricCode,
        Comparison = input.Comparison,
        Target = input.Target,
        DaysPerWeek = input.DaysPerWeek,
        JournalKind = input.JournalKind ?? "",
        StartDate = input.StartDate?.ToDateTime(TimeOnly.MinValue),
        EndDate = input.EndDate?.ToDateTime(TimeOnly.MinValue),
    };

    public GoalInput ToInput() => new()
    {
        Name = Name,
        Kind = Kind ?? GoalKind.DailyTarget,
        MetricCode = Kind == GoalKind.JournalHabit ? null : MetricCode,
        Comparison = Comparison,
        Target = Kind == GoalKind.JournalHabit ? null : Target,
        DaysPerWeek = Kind is GoalKind.WeeklyCount or GoalKind.JournalHabit ? DaysPerWeek : null,
        JournalKind = Kind == GoalKind.JournalHabit && JournalKind.Length > 0 ? JournalKind : null,
        StartDate = StartDate is { } start ? DateOnly.FromDateTime(start) : null,
        EndDate = EndDate is { } end ? DateOnly.FromDateTime(end) : null,
    };

    /// <summary>Switches kind, keeping what still applies and filling what the new kind needs.</summary>
    public void ChangeKind(GoalKind kind)
    {
        Kind = kind;
        if (kind == GoalKind.BodyTarget && (MetricCode is null || MetricCatalogue.Find(MetricCode)?.Group != MetricGroup.Body))
        {
            MetricCode = MetricCatalogue.Weight;
            Target = null;
            Comparison = Comparison.AtMost;
        }

        DaysPerWeek ??= kind switch
        {
            GoalKind.WeeklyCount => 4,
            GoalKind.JournalHabit => 7,
            _ => null,
        };
        if (kind == GoalKind.WeeklyCount && DaysPerWeek == 7)
        {
            DaysPerWeek = 4;
        }
    }
}
