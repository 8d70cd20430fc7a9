using System.Globalization;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Notifications;

/// <summary>One reminder due now for one user: its occurrence (the user's local date) and the user's day at that instant.</summary>
public sealed record ReminderCandidate(string UserId, ReminderKind Kind, DateOnly Occurrence, DateTime DueUtc, DateOnly UserToday);

/// <summary>What a due reminder says, or why it says nothing this time.</summary>
public sealed record ComposedReminder(NotificationMessage? Message, string? SkipReason);

/// <summary>
/// Decides what each due reminder says, or that it is not needed (the entry is already written, no goal is at risk,
/// every connection is fine). Journal checks are one query for all candidates, so a minute with thousands of
/// reminders costs one read, not thousands.
/// </summary>
public sealed class ReminderContent(LifeOsDbContext db, GoalService goals, WeeklyReviewPrefill prefill, TimeProvider time)
{
    public async Task<IReadOnlyList<ComposedReminder>> ComposeAsync(IReadOnlyList<ReminderCandidate> candidates, CancellationToken cancellationToken)
    {
        var written = await WrittenAsync(candidates, cancellationToken);
        var result = new List<ComposedReminder>(candidates.Count);
        foreach (var candidate in candidates)
        {
            result.Add(candidate.Kind switch
            {
                ReminderKind.MorningPages or ReminderKind.DailyReflection => Journal(candidate, written),
                ReminderKind.WeeklyReview => WeeklyReview(candidate, written),
                ReminderKind.GoalAtRisk => await GoalsAtRiskAsync(candidate, cancellationToken),
                ReminderKind.ConnectionTrouble => await ConnectionTroubleAsync(candidate, cancellationToken),
                _ => await DigestAsync(candidate, cancellationToken),
            });
        }

        return result;
    }

    private static JournalKind JournalKindOf(ReminderKind kind) => kind switch
    {
        ReminderKind.MorningPages => Core.Journal.JournalKind.MorningPages,
        ReminderKind.DailyReflection => Core.Journal.JournalKind.DailyReflection,
        _ => Core.Journal.JournalKind.WeeklyReview,
    };

    private static ComposedReminder Journal(ReminderCandidate candidate, HashSet<(string, JournalKind, DateOnly)> written)
    {
        var kind = JournalKindOf(candidate.Kind);
        if (written.Contains((candidate.UserId, kind, candidate.UserToday)))
        {
            return new(null, $"{kind.DisplayName()} already written today");
        }

        return new(new NotificationMessage(
            kind == Core.Journal.JournalKind.MorningPages ? "Time for your morning pages" : "Time to reflect on your day",
            kind == Core.Journal.JournalKind.MorningPages ? "Three pages, whatever comes: about 750 words." : "What went well, what you learned, what you will do tomorrow.",
            $"/journal/new?kind={kind.Slug()}"), null);
    }

    private static ComposedReminder WeeklyReview(ReminderCandidate candidate, HashSet<(string, JournalKind, DateOnly)> written)
    {
        for (var day = candidate.UserToday.AddDays(-6); day <= candidate.UserToday; day = day.AddDays(1))
        {
            if (written.Contains((candidate.UserId, Core.Journal.JournalKind.WeeklyReview, day)))
            {
                return new(null, "Weekly review already written this week");
            }
        }

        return new(new NotificationMessage("Time for your weekly review", "Look back on the week with its numbers; set a focus for the next.",
            $"/journal/new?kind={Core.Journal.JournalKind.WeeklyReview.Slug()}"), null);
    }

    private async Task<HashSet<(string, JournalKind, DateOnly)>> WrittenAsync(IReadOnlyList<ReminderCandidate> candidates, CancellationToken cancellationToken)
    {
        var journal = candidates.Where(c => c.Kind is ReminderKind.MorningPages or ReminderKind.DailyReflection or ReminderKind.WeeklyReview).ToList();
        if (journal.Count == 0)
        {
            return [];
        }

        var users = journal.Select(c => c.UserId).Distinct().ToList();
        var from = journal.Min(c => c.UserToday).AddDays(-6);
        var to = journal.Max(c => c.UserToday);
        var rows = await db.JournalEntries.AsNoTracking()
            .Where(e => users.Contains(e.UserId) && e.LocalDate >= from && e.LocalDate <= to)
            .Select(e => new { e.UserId, e.Kind, e.LocalDate })
            .Distinct()
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.UserId, r.Kind, r.LocalDate)).ToHashSet();
    }

    private async Task<ComposedReminder> GoalsAtRiskAsync(ReminderCandidate candidate, CancellationToken cancellationToken)
    {
        var statuses = await goals.EvaluateAllAsync(candidate.UserId, cancellationToken);
        var atRisk = statuses
            .Where(s => s.Goal.ArchivedAt is null && s.State is not (GoalState.Met or GoalState.Ended or GoalState.NotStarted))
            .Where(s => s.State == GoalState.Behind || s.Today is DayResult.Missed or DayResult.Pending)
            .Select(s => s.Goal.Name)
            .ToList();
        if (atRisk.Count == 0)
        {
            return new(null, "No goal at risk");
        }

        var names = atRisk.Count <= 3 ? string.Join(", ", atRisk) : $"{string.Join(", ", atRisk.Take(3))} and {atRisk.Count - 3} more";
        return new(new NotificationMessage(atRisk.Count == 1 ? "A goal is at risk today" : $"{atRisk.Count} goals are at risk today",
            $"Not met yet: {names}. There is still time.", "/goals"), null);
    }

    private async Task<ComposedReminder> ConnectionTroubleAsync(ReminderCandidate candidate, CancellationToken cancellationToken)
    {
        var dayAgo = time.GetUtcNow().UtcDateTime.AddDays(-1);
        var connections = await db.Connections.AsNoTracking().Where(c => c.UserId == candidate.UserId)
            .Select(c => new { c.Provider, c.Status, c.LastSyncedAt, c.ConnectedAt })
            .ToListAsync(cancellationToken);
        var problems = connections
            .Select(c => c.Status == ConnectionStatus.NeedsReconnect
                ? $"{c.Provider.DisplayName()} needs to be connected again."
                : c.Status == ConnectionStatus.Error && (c.LastSyncedAt ?? c.ConnectedAt) < dayAgo
                    ? $"{c.Provider.DisplayName()} has not synced for more than a day."
                    : null)
            .OfType<string>()
            .ToList();
        return problems.Count == 0
            ? new(null, "Every connection is working")
            : new(new NotificationMessage("A connection needs attention", string.Join(" ", problems), "/integrations"), null);
    }

    private async Task<ComposedReminder> DigestAsync(ReminderCandidate candidate, CancellationToken cancellationToken)
    {
        var lastMonday = GoalEvaluator.WeekStart(candidate.UserToday).AddDays(-7);
        var sections = await prefill.FactsAsync(candidate.UserId, lastMonday, cancellationToken);
        var facts = sections.SelectMany(s => s.Facts).Take(8).Select(f => $"{f.Label}: {f.Value}").ToList();
        if (facts.Count == 0)
        {
            return new(null, "Nothing recorded last week");
        }

        var week = ISOWeek.GetWeekOfYear(lastMonday.ToDateTime(TimeOnly.MinValue)).ToString(CultureInfo.InvariantCulture);
        return new(new NotificationMessage($"Your week {week} in numbers", string.Join(" · ", facts), "/"), null);
    }
}
