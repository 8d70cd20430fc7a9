using System.Globalization;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Goals;

/// <summary>Each active goal's result for the week under review, for the weekly review's pre-fill.</summary>
internal sealed class GoalWeekFacts(LifeOsDbContext db, GoalService goals) : IWeeklyReviewFactsProvider
{
    public int Order => 20;

    public async Task<WeeklyReviewFactSection?> GetFactsAsync(string userId, DateOnly weekStart, CancellationToken cancellationToken)
    {
        var statuses = await goals.EvaluateWeekAsync(userId, weekStart, cancellationToken);
        if (statuses.Count == 0)
        {
            return null;
        }

        var units = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitSystem).SingleAsync(cancellationToken);
        var facts = statuses.Select(s =>
        {
            var hit = s.Week?.Hit == true ? "achieved" : "not achieved";
            var detail = s.Week switch
            {
                null => "",
                { Unit: "average", DaysWithData: 0 } => "no data",
                { Unit: "average" } w when s.Goal.MetricCode is { } code => $"average {Format(code, w.Achieved, units)}",
                var w => string.Create(CultureInfo.InvariantCulture, $"{w.Achieved:0} of {w.Needed:0} days"),
            };
            return new WeeklyReviewFact(s.Goal.Name, s.Body is { } body
                ? (body.Reached ? "reached" : body.OnTrack ? "on track" : "behind") + (body.Current is { } c && s.Goal.MetricCode is { } m ? $", now {Format(m, c, units)}" : "")
                : $"{hit} ({detail})");
        }).ToList();
        return new WeeklyReviewFactSection("Goals", facts);
    }

    private static string Format(string code, double canonical, Accounts.UnitSystem units)
    {
        var unit = MetricCatalogue.Get(code).DisplayFor(units);
        var value = unit.FromCanonical(canonical);
        return unit.Label == "h"
            ? DisplayUnit.HoursAndMinutes(value)
            : string.Create(CultureInfo.InvariantCulture, $"{value:#,0.#} {unit.Label}").TrimEnd();
    }
}
