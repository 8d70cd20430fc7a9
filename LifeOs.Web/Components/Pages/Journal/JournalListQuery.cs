using System.Globalization;
using LifeOs.Core.Journal;

namespace LifeOs.Web.Components.Pages.Journal;

/// <summary>
/// The journal list's query string, read without ever throwing: a value that makes no sense is dropped with a
/// notice saying so, and the rest of the page still works (<c>?page=abc</c>, <c>?page=99999999999</c>,
/// <c>?date=2099-13-45</c>, <c>?kind=&lt;script&gt;</c>).
/// </summary>
public sealed record JournalListQuery(
    string? Search, JournalKind? Kind, string? Tag, int? Mood, DateOnly? Day, DateOnly? Month, int Page, IReadOnlyList<string> Notices)
{
    /// <summary>Longer tags cannot exist (JournalRules.MaxTagLength); anything past this is not a tag someone has.</summary>
    private const int MaxTagLength = 100;

    public bool Filtered => Search is not null || Kind is not null || Tag is not null || Mood is not null || Day is not null;

    /// <summary>What the loaded page depends on (the month too: the calendar shows it).</summary>
    public string Key => string.Join('\u001f', Search, Kind, Tag, Mood, Day?.ToString("O", CultureInfo.InvariantCulture), Month?.ToString("O", CultureInfo.InvariantCulture), Page);

    public static JournalListQuery Parse(string? q, string? kind, string? tag, string? mood, string? date, string? month, string? page)
    {
        var notices = new List<string>();

        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > JournalQuery.MaxSearchLength })
        {
            search = search[..JournalQuery.MaxSearchLength];
            notices.Add($"Searches use the first {JournalQuery.MaxSearchLength} characters.");
        }

        JournalKind? parsedKind = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            parsedKind = JournalKinds.Parse(kind);
            if (parsedKind is null)
            {
                notices.Add($"“{Shorten(kind)}” is not a kind of entry; showing every kind.");
            }
        }

        var parsedTag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().TrimStart('#').Trim();
        if (parsedTag is { Length: 0 })
        {
            parsedTag = null;
        }
        else if (parsedTag is { Length: > MaxTagLength })
        {
            notices.Add("That tag is longer than any tag can be; showing every tag.");
            parsedTag = null;
        }

        int? parsedMood = null;
        if (!string.IsNullOrWhiteSpace(mood))
        {
            if (int.TryParse(mood, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 5)
            {
                parsedMood = m;
            }
            else
            {
                notices.Add($"Mood is from 1 to 5, not “{Shorten(mood)}”; showing every mood.");
            }
        }

        DateOnly? day = null;
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= JournalRules.MinYear and <= JournalRules.MaxYear)
            {
                day = d;
            }
            else
            {
                notices.Add($"“{Shorten(date)}” is not a date such as 2026-11-24; showing every day.");
            }
        }

        DateOnly? parsedMonth = null;
        if (!string.IsNullOrWhiteSpace(month)
            && DateOnly.TryParseExact(month.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var mo)
            && mo.Year is >= JournalRules.MinYear and <= JournalRules.MaxYear)
        {
            parsedMonth = mo;
        }

        var parsedPage = 1;
        if (!string.IsNullOrWhiteSpace(page))
        {
            if (int.TryParse(page, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 1)
            {
                parsedPage = p;
            }
            else if (long.TryParse(page, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big) && big > 0)
            {
                parsedPage = int.MaxValue; // past the last page: the page shows the last one
            }
            else
            {
                notices.Add($"“{Shorten(page)}” is not a page number; showing the first page.");
            }
        }

        return new JournalListQuery(search, parsedKind, parsedTag, parsedMood, day, parsedMonth, parsedPage, notices);
    }

    private static string Shorten(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length <= 40 ? trimmed : trimmed[..40] + "…";
    }
}
