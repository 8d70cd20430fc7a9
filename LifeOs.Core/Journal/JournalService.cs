using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

public sealed record JournalSaveResult(IReadOnlyDictionary<string, string> Errors, long? Id = null, bool NotFound = false)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound;
}

/// <summary>One entry as the view and edit pages show it; times are UTC.</summary>
public sealed record JournalEntryView(
    long Id, string Uid, JournalKind Kind, DateOnly LocalDate, string? Week, string? Title, string Body,
    int? Mood, int? Energy, IReadOnlyList<string> Tags, int WordCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Filters of the journal list; all optional.</summary>
public sealed record JournalQuery(
    JournalKind? Kind = null, string? Tag = null, int? Mood = null, string? Search = null,
    DateOnly? From = null, DateOnly? To = null, int Page = 1, int PageSize = JournalQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxSearchLength = 200;
}

/// <param name="Excerpt">Plain text from the start of the body (no markup).</param>
/// <param name="SnippetHtml">For search results: the best passage, HTML-encoded, with matches in &lt;mark&gt;.</param>
public sealed record JournalListItem(
    long Id, JournalKind Kind, DateOnly LocalDate, string? Week, string? Title, string Excerpt, string? SnippetHtml,
    int? Mood, int? Energy, IReadOnlyList<string> Tags, int WordCount, DateTime CreatedAt);

public sealed record JournalListPage(IReadOnlyList<JournalListItem> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>An entry from the same day of an earlier month or year.</summary>
public sealed record OnThisDayItem(long Id, JournalKind Kind, DateOnly LocalDate, string? Title, string Excerpt, int MonthsAgo);

/// <summary>A weekly review, as the editor names it when another review of the same week is being written.</summary>
public sealed record WeeklyReviewRef(long Id, string? Title, DateOnly LocalDate);

/// <summary>Entries: create, edit, delete, list with filters and full-text search, calendar, "on this day", tags.</summary>
public sealed class JournalService(LifeOsDbContext db, TimeProvider time)
{
    private const int ExcerptLength = 280;

    /// <summary>The user's current local day (time zone and day-start hour).</summary>
    public async Task<DateOnly> TodayAsync(string userId, CancellationToken cancellationToken = default) =>
        (await ClockAsync(userId, cancellationToken)).Today;

    public Task<UserClock> ClockAsync(string userId, CancellationToken cancellationToken = default) =>
        db.ClockAsync(userId, time, cancellationToken);

    public async Task<JournalSaveResult> CreateAsync(string userId, JournalEntryInput input, CancellationToken cancellationToken = default)
    {
        var (valid, errors) = JournalRules.Validate(input, await ClockAsync(userId, cancellationToken));
        if (valid is null)
        {
            return new JournalSaveResult(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new JournalEntry { Uid = Guid.NewGuid().ToString("N"), UserId = userId, Body = valid.Body, CreatedAt = now };
        Apply(entry, valid, now);
        db.JournalEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return new JournalSaveResult(errors, entry.Id);
    }

    public async Task<JournalSaveResult> UpdateAsync(string userId, long id, JournalEntryInput input, CancellationToken cancellationToken = default)
    {
        var entry = await db.JournalEntries.Include(e => e.TagRows)
            .SingleOrDefaultAsync(e => e.Id == id && e.UserId == userId, cancellationToken);
        if (entry is null)
        {
            return new JournalSaveResult(new Dictionary<string, string>(), NotFound: true);
        }

        var (valid, errors) = JournalRules.Validate(input with { Kind = entry.Kind }, await ClockAsync(userId, cancellationToken));
        if (valid is null)
        {
            return new JournalSaveResult(errors, id);
        }

        Apply(entry, valid, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return new JournalSaveResult(errors, id);
    }

    /// <returns>False when the id is not one of this user's entries.</returns>
    public async Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken = default) =>
        await db.JournalEntries.Where(e => e.Id == id && e.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 1;

    public async Task<JournalEntryView?> GetAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        var e = await db.JournalEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.UserId == userId, cancellationToken);
        return e is null ? null : new JournalEntryView(e.Id, e.Uid, e.Kind, e.LocalDate, e.Week, e.Title, e.Body, e.Mood, e.Energy, SplitTags(e.Tags), e.WordCount, e.CreatedAt, e.UpdatedAt);
    }

    public async Task<JournalListPage> ListAsync(string userId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        // Bounded so that the rows to skip, (page - 1) × page size, stay an int.
        var page = Math.Clamp(query.Page, 1, int.MaxValue / 100);
        var filtered = Filter(db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId), userId, query);
        if (JournalSearch.Parse(query.Search) is { } terms)
        {
            return await JournalSearch.RunAsync(db, userId, query, terms, filtered, page, pageSize, cancellationToken);
        }

        var total = await filtered.CountAsync(cancellationToken);
        var rows = await filtered
            // Id follows creation order; (UserId, LocalDate) plus the rowid serves this order without a sort.
            .OrderByDescending(e => e.LocalDate).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new { e.Id, e.Kind, e.LocalDate, e.Week, e.Title, Start = e.Body.Substring(0, ExcerptLength + 40), e.Mood, e.Energy, e.Tags, e.WordCount, e.CreatedAt })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new JournalListItem(r.Id, r.Kind, r.LocalDate, r.Week, r.Title, Excerpt(r.Start), null, r.Mood, r.Energy, SplitTags(r.Tags), r.WordCount, r.CreatedAt)).ToList();
        return new JournalListPage(items, total, page, pageSize);
    }

    internal IQueryable<JournalEntry> Filter(IQueryable<JournalEntry> entries, string userId, JournalQuery query)
    {
        if (query.Kind is { } kind)
        {
            entries = entries.Where(e => e.Kind == kind);
        }

        if (query.Mood is { } mood)
        {
            entries = entries.Where(e => e.Mood == mood);
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.LocalDate >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.LocalDate <= to);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim();
            entries = entries.Where(e => db.JournalTags.Any(t => t.EntryId == e.Id && t.UserId == userId && t.Name == tag));
        }

        return entries;
    }

    /// <summary>Number of entries on each day of one month that has any.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, int>> CalendarAsync(string userId, int year, int month, CancellationToken cancellationToken = default)
    {
        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        return await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.LocalDate >= first && e.LocalDate <= last)
            .GroupBy(e => e.LocalDate)
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Day, g => g.Count, cancellationToken);
    }

    /// <summary>Entries written on the same day of the month in the ten years before <paramref name="today"/>, newest first.</summary>
    public async Task<IReadOnlyList<OnThisDayItem>> OnThisDayAsync(string userId, DateOnly today, int take = 6, CancellationToken cancellationToken = default)
    {
        // A list of dates keeps this an index seek rather than a scan of every entry.
        var dates = Enumerable.Range(1, 120)
            .Select(m => (Months: m, Date: today.AddMonths(-m)))
            .Where(x => x.Date.Day == today.Day)
            .ToDictionary(x => x.Date, x => x.Months);
        var keys = dates.Keys.ToList();
        var rows = await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && keys.Contains(e.LocalDate))
            .OrderByDescending(e => e.LocalDate).ThenByDescending(e => e.Id)
            .Take(take)
            .Select(e => new { e.Id, e.Kind, e.LocalDate, e.Title, Start = e.Body.Substring(0, ExcerptLength + 40) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new OnThisDayItem(r.Id, r.Kind, r.LocalDate, r.Title, Excerpt(r.Start, 160), dates[r.LocalDate])).ToList();
    }

    /// <summary>The user's weekly reviews of <paramref name="week"/> (such as 2026-W47) other than <paramref name="exceptId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<WeeklyReviewRef>> WeeklyReviewsOfAsync(string userId, string week, long? exceptId = null, CancellationToken cancellationToken = default) =>
        await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.Kind == JournalKind.WeeklyReview && e.Week == week && e.Id != exceptId)
            .OrderBy(e => e.Id)
            .Select(e => new WeeklyReviewRef(e.Id, e.Title, e.LocalDate))
            .ToListAsync(cancellationToken);

    /// <summary>The user's tags, most used first (for the editor).</summary>
    public async Task<IReadOnlyList<string>> TagSuggestionsAsync(string userId, int take = 50, CancellationToken cancellationToken = default) =>
        await db.JournalTags.AsNoTracking()
            .Where(t => t.UserId == userId)
            .GroupBy(t => t.Name)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Take(take)
            .Select(g => g.Key)
            .ToListAsync(cancellationToken);

    /// <summary>The user's tags in alphabetical order: read from the (UserId, Name) index, stopping after <paramref name="take"/> (for the list filter).</summary>
    public async Task<IReadOnlyList<string>> TagNamesAsync(string userId, int take = 200, CancellationToken cancellationToken = default) =>
        await db.JournalTags.AsNoTracking()
            .Where(t => t.UserId == userId)
            .Select(t => t.Name)
            .Distinct()
            .OrderBy(n => n)
            .Take(take)
            .ToListAsync(cancellationToken);

    internal static void Apply(JournalEntry entry, ValidEntry valid, DateTime now)
    {
        entry.Kind = valid.Kind;
        entry.LocalDate = valid.LocalDate;
        entry.Week = valid.Week;
        entry.Title = valid.Title;
        entry.Body = valid.Body;
        entry.Mood = valid.Mood;
        entry.Energy = valid.Energy;
        entry.WordCount = valid.WordCount;
        entry.Tags = string.Join('\n', valid.Tags);
        entry.UpdatedAt = now;
        entry.TagRows.RemoveAll(t => !valid.Tags.Contains(t.Name, StringComparer.Ordinal));
        foreach (var tag in valid.Tags.Where(t => !entry.TagRows.Exists(r => r.Name == t)))
        {
            entry.TagRows.Add(new JournalTag { UserId = entry.UserId, Name = tag });
        }
    }

    internal static IReadOnlyList<string> SplitTags(string tags) =>
        tags.Length == 0 ? [] : tags.Split('\n');

    /// <summary>The start of a body as one line of plain text: Markdown markers dropped, cut at a word.</summary>
    internal static string Excerpt(string? body, int length = ExcerptLength)
    {
        if (string.IsNullOrEmpty(body))
        {
            return "";
        }

        // A heading reads as a lead-in ("What went well — Long walk…"); emphasis and code markers go.
        var lines = body.Split('\n')
            .Select(l => l.Trim())
            .Select(l => l.StartsWith('#') ? l.TrimStart('#').Trim() + " —" : l.TrimStart('>', '-', '+', ' ').Trim())
            .Where(l => l.Length > 0 && l != "—" && l != "---");
        var text = JournalSearch.StripInlineMarkdown(string.Join(" ", lines)).Replace("— —", "—", StringComparison.Ordinal).TrimEnd(' ', '—');
        if (text.Length <= length)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > length / 2 ? cut : length)] + "…";
    }
}
