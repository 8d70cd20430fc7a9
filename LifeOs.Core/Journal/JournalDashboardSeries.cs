using LifeOs.Core.Dashboard;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>The journal's numbers for the dashboard: mood and energy per day (the day's average), and entries per day.</summary>
internal sealed class JournalDashboardSeries(LifeOsDbContext db) : IDailySeriesProvider
{
    public async Task<IReadOnlyList<DailySeries>> GetAsync(string userId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.LocalDate >= from && e.LocalDate <= to)
            .GroupBy(e => e.LocalDate)
            .Select(g => new { Day = g.Key, Entries = g.Count(), Mood = g.Average(e => (double?)e.Mood), Energy = g.Average(e => (double?)e.Energy) })
            .OrderBy(d => d.Day)
            .ToListAsync(cancellationToken);
        return
        [
            new DailySeries(DashboardService.Mood, "Mood", "", days.Where(d => d.Mood is not null).Select(d => new DayValue(d.Day, d.Mood!.Value)).ToList()),
            new DailySeries(DashboardService.Energy, "Energy", "", days.Where(d => d.Energy is not null).Select(d => new DayValue(d.Day, d.Energy!.Value)).ToList()),
            new DailySeries(DashboardService.JournalEntries, "Journal entries", "", days.Select(d => new DayValue(d.Day, d.Entries)).ToList()),
        ];
    }
}
