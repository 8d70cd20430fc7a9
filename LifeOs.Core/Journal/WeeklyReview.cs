using System.Globalization;
using System.Text;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

public sealed record WeeklyReviewFact(string Label, string Value);

/// <summary>One block of facts at the top of a new weekly review, such as "Journal" or "Health".</summary>
public sealed record WeeklyReviewFactSection(string Title, IReadOnlyList<WeeklyReviewFact> Facts);

/// <summary>
/// The hook that fills a new weekly review with the week's facts. The journal registers its own; health
/// (sleep, steps, weight…) and goals (results of the week) register theirs with
/// <c>services.AddScoped&lt;IWeeklyReviewFactsProvider, …&gt;()</c>; nothing else needs to change.
/// </summary>
public interface IWeeklyReviewFactsProvider
{
    /// <summary>Sections appear in ascending order.</summary>
    int Order => 0;

    /// <param name="weekStart">Monday of the ISO week under review; the week runs to the following Sunday, in the user's local days.</param>
    /// <returns>Null when there is nothing to say for that week.</returns>
    Task<WeeklyReviewFactSection?> GetFactsAsync(string userId, DateOnly weekStart, CancellationToken cancellationToken);
}

/// <summary>The journal's own facts: entries written, days with an entry, words, average mood and energy.</summary>
public sealed class JournalWeekFactsProvider(LifeOsDbContext db) : IWeeklyReviewFactsProvider
{
    public async Task<WeeklyReviewFactSection?> GetFactsAsync(string userId, DateOnly weekStart, CancellationToken cancellationToken)
    {
        var weekEnd = weekStart.AddDays(6);
        var rows = await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.LocalDate >= weekStart && e.LocalDate <= weekEnd && e.Kind != JournalKind.WeeklyReview)
            .Select(e => new { e.Kind, e.LocalDate, e.Mood, e.Energy, e.WordCount })
            .ToListAsync(cancellationToken);
        var facts = new List<WeeklyReviewFact>();
        if (rows.Count == 0)
        {
            facts.Add(new("Entries", "none this week"));
            return new WeeklyReviewFactSection("Journal", facts);
        }

        var byKind = string.Join(", ", rows.GroupBy(r => r.Kind).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key.DisplayName().ToLowerInvariant()}")));
        facts.Add(new("Entries", string.Create(CultureInfo.InvariantCulture, $"{rows.Count} on {rows.Select(r => r.LocalDate).Distinct().Count()} of 7 days ({byKind})")));
        facts.Add(new("Words", rows.Sum(r => r.WordCount).ToString("N0", CultureInfo.InvariantCulture)));
        facts.Add(new("Average mood", Average(rows.Select(r => r.Mood))));
        facts.Add(new("Average energy", Average(rows.Select(r => r.Energy))));
        return new WeeklyReviewFactSection("Journal", facts);
    }

    private static string Average(IEnumerable<int?> values)
    {
        var rated = values.OfType<int>().ToList();
        return rated.Count == 0
            ? "not rated"
            : string.Create(CultureInfo.InvariantCulture, $"{rated.Average():0.0} / 5 ({rated.Count} rated)");
    }
}

/// <summary>Builds the starting text of a weekly review: the week's facts from every provider, then the user's template.</summary>
public sealed class WeeklyReviewPrefill(IEnumerable<IWeeklyReviewFactsProvider> providers)
{
    public async Task<IReadOnlyList<WeeklyReviewFactSection>> FactsAsync(string userId, DateOnly weekStart, CancellationToken cancellationToken = default)
    {
        var sections = new List<WeeklyReviewFactSection>();
        foreach (var provider in providers.OrderBy(p => p.Order))
        {
            if (await provider.GetFactsAsync(userId, weekStart, cancellationToken) is { } section)
            {
                sections.Add(section);
            }
        }

        return sections;
    }

    public async Task<string> BuildAsync(string userId, DateOnly weekStart, string template, CancellationToken cancellationToken = default)
    {
        var monday = IsoWeek.Monday(weekStart);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## The week in numbers ({IsoWeek.Format(monday)}, {monday:d MMM} – {monday.AddDays(6):d MMM yyyy})\n\n");
        foreach (var section in await FactsAsync(userId, monday, cancellationToken))
        {
            text.Append(CultureInfo.InvariantCulture, $"**{section.Title}**\n\n");
            foreach (var fact in section.Facts)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {fact.Label}: {fact.Value}\n");
            }

            text.Append('\n');
        }

        text.Append(template);
        return text.ToString();
    }
}
