using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Goals;

/// <summary>goals.json in the export: every goal the user set, archived ones included. Results are computed, never stored, so they are not in it.</summary>
internal sealed class GoalsExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 40;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var goals = await db.Set<Goal>().AsNoTracking()
            .Where(g => g.UserId == userId)
            .OrderBy(g => g.CreatedAt).ThenBy(g => g.Id)
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("goals.json", goals.Select(g => new
        {
            g.Name,
            g.Kind,
            Metric = g.MetricCode,
            // Targets are stored in the metric's canonical unit, whatever unit system the user reads them in.
            Unit = g.MetricCode is null ? null : MetricCatalogue.Find(g.MetricCode)?.CanonicalUnit,
            Comparison = g.Kind == GoalKind.JournalHabit ? (Comparison?)null : g.Comparison,
            Target = g.Kind == GoalKind.JournalHabit ? (double?)null : g.Target,
            g.DaysPerWeek,
            g.JournalKind,
            g.StartDate,
            g.EndDate,
            g.CreatedAt,
            g.ArchivedAt,
        }).ToList(), cancellationToken);
    }
}
