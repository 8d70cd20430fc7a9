using System.Globalization;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>The week's health figures at the top of a weekly review, in the user's units.</summary>
internal sealed class HealthWeekFacts(LifeOsDbContext db) : IWeeklyReviewFactsProvider
{
    public int Order => 10;

    private static readonly (string Code, string Label, bool Sum)[] Figures =
    [
        (MetricCatalogue.SleepDuration, "Average sleep", false),
        (MetricCatalogue.SleepScore, "Average sleep score", false),
        (MetricCatalogue.ReadinessScore, "Average readiness", false),
        (MetricCatalogue.Steps, "Steps", true),
        (MetricCatalogue.RestingHeartRate, "Average resting heart rate", false),
        (MetricCatalogue.HrvRmssd, "Average HRV", false),
    ];

    public async Task<WeeklyReviewFactSection?> GetFactsAsync(string userId, DateOnly weekStart, CancellationToken cancellationToken)
    {
        var weekEnd = weekStart.AddDays(6);
        var units = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitSystem).SingleAsync(cancellationToken);
        var codes = Figures.Select(f => f.Code).Append(MetricCatalogue.Weight).ToList();
        var rows = await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId && codes.Contains(d.MetricCode) && d.LocalDate >= weekStart && d.LocalDate <= weekEnd)
            .Select(d => new { d.MetricCode, d.LocalDate, d.Value })
            .ToListAsync(cancellationToken);
        var facts = new List<WeeklyReviewFact>();
        foreach (var (code, label, sum) in Figures)
        {
            var values = rows.Where(r => r.MetricCode == code).Select(r => r.Value).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            var unit = MetricCatalogue.Get(code).DisplayFor(units);
            var value = unit.FromCanonical(values.Average());
            var text = unit.Label switch
            {
                "h" => DisplayUnit.HoursAndMinutes(value),
                "steps" => sum ? $"{value:#,0} a day ({values.Count} days)" : $"{value:#,0}",
                "" => $"{value:0}",
                _ => $"{value:0.#} {unit.Label}",
            };
            facts.Add(new(label, string.Create(CultureInfo.InvariantCulture, $"{text}")));
        }

        var weights = rows.Where(r => r.MetricCode == MetricCatalogue.Weight).OrderBy(r => r.LocalDate).ToList();
        if (weights.Count > 0)
        {
            var unit = MetricCatalogue.Get(MetricCatalogue.Weight).DisplayFor(units);
            var change = unit.FromCanonical(weights[^1].Value) - unit.FromCanonical(weights[0].Value);
            facts.Add(new("Weight", string.Create(CultureInfo.InvariantCulture,
                $"{unit.FromCanonical(weights[^1].Value):0.0} {unit.Label}{(weights.Count > 1 ? $" ({change:+0.0;-0.0;0.0} {unit.Label} over the week)" : "")}")));
        }

        return facts.Count == 0 ? new WeeklyReviewFactSection("Health", [new("Data", "nothing synced or logged this week")]) : new WeeklyReviewFactSection("Health", facts);
    }
}
