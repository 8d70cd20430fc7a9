using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>What journal-habit goals need from the journal: its kinds, the days with an entry, and the grace rule.</summary>
internal sealed class JournalGoalSource(LifeOsDbContext db) : IGoalJournalSource
{
    public IReadOnlyList<(string Code, string Name)> Kinds { get; } =
        JournalKinds.All.Where(k => k != JournalKind.WeeklyReview).Select(k => (k.ToString(), k.DisplayName())).ToList();

    public async Task<IReadOnlySet<DateOnly>> DaysWithEntriesAsync(string userId, string? kind, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var entries = db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId && e.LocalDate >= from && e.LocalDate <= to);
        if (JournalKinds.Parse(kind) is { } parsed)
        {
            entries = entries.Where(e => e.Kind == parsed);
        }

        return (await entries.Select(e => e.LocalDate).Distinct().ToListAsync(cancellationToken)).ToHashSet();
    }

    public async Task<bool> GraceRuleAsync(string userId, CancellationToken cancellationToken) =>
        await db.Set<JournalPreferences>().AsNoTracking().Where(p => p.UserId == userId).Select(p => p.StreakGraceRule).SingleOrDefaultAsync(cancellationToken);
}
