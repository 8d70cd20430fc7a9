using System.Globalization;
using System.Text.RegularExpressions;

namespace LifeOs.Core.Journal;

/// <summary>What an entry form sends. Field names match <see cref="JournalRules"/>' error keys.</summary>
public sealed record JournalEntryInput(
    JournalKind Kind,
    DateOnly? LocalDate,
    string? Week,
    string? Title,
    string? Body,
    int? Mood,
    int? Energy,
    string? Tags);

/// <summary>An input that passed the rules, normalised for storage.</summary>
public sealed record ValidEntry(JournalKind Kind, DateOnly LocalDate, string? Week, string? Title, string Body, int? Mood, int? Energy, IReadOnlyList<string> Tags, int WordCount);

/// <summary>The "bad input" rules of an entry, shared by the form and the zip import.</summary>
public static partial class JournalRules
{
    public const int MaxBodyLength = 100_000;
    public const int MaxTitleLength = 200;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MinYear = 1900;

    /// <summary>The last year a week review or a filter may name; an entry's own date stops at the user's today (<see cref="RecordDates"/>).</summary>
    public const int MaxYear = 2100;

    public const string DateField = "LocalDate";
    public const string WeekField = "Week";
    public const string TitleField = "Title";
    public const string BodyField = "Body";
    public const string MoodField = "Mood";
    public const string EnergyField = "Energy";
    public const string TagsField = "Tags";

    /// <param name="clock">The user's clock: an entry's date runs from 1900 to the end of their local today (<see cref="RecordDates"/>).</param>
    public static (ValidEntry? Entry, Dictionary<string, string> Errors) Validate(JournalEntryInput input, UserClock clock)
    {
        var errors = new Dictionary<string, string>();
        if (!Enum.IsDefined(input.Kind))
        {
            errors["Kind"] = "Choose a kind of entry.";
        }

        if (input.LocalDate is not { } date)
        {
            errors[DateField] = "Enter a date.";
        }
        else if (RecordDates.Problem(date, clock) is { } dateProblem)
        {
            errors[DateField] = dateProblem;
        }

        string? week = null;
        if (input.Kind == JournalKind.WeeklyReview)
        {
            if (string.IsNullOrWhiteSpace(input.Week) && input.LocalDate is { } d)
            {
                week = IsoWeek.Format(d);
            }
            else if (IsoWeek.TryParse(input.Week, out var monday) && monday.Year is >= MinYear and <= MaxYear)
            {
                week = IsoWeek.Format(monday);
            }
            else
            {
                errors[WeekField] = $"Enter a week such as {IsoWeek.Format(input.LocalDate ?? new DateOnly(2026, 1, 5))}, between {MinYear} and {MaxYear}.";
            }
        }

        var title = string.IsNullOrWhiteSpace(input.Title) ? null : input.Title.Trim();
        if (title is { Length: > MaxTitleLength })
        {
            errors[TitleField] = $"Keep the title under {MaxTitleLength} characters.";
        }

        var body = (input.Body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().TrimStart('\n');
        if (string.IsNullOrWhiteSpace(body))
        {
            errors[BodyField] = "Write something first: the entry is empty.";
        }
        else if (body.Length > MaxBodyLength)
        {
            errors[BodyField] = string.Create(CultureInfo.InvariantCulture, $"An entry can hold up to {MaxBodyLength:N0} characters; this one has {body.Length:N0}. Split it in two.");
        }

        if (input.Mood is { } mood && mood is < 1 or > 5)
        {
            errors[MoodField] = "Mood is from 1 to 5.";
        }

        if (input.Energy is { } energy && energy is < 1 or > 5)
        {
            errors[EnergyField] = "Energy is from 1 to 5.";
        }

        var tags = ParseTags(input.Tags);
        if (tags.Count > MaxTags)
        {
            errors[TagsField] = $"Use at most {MaxTags} tags; there are {tags.Count}.";
        }
        else if (tags.FirstOrDefault(t => t.Length > MaxTagLength) is { } longTag)
        {
            errors[TagsField] = $"Tags can have up to {MaxTagLength} characters; \"{longTag[..20]}…\" has {longTag.Length}.";
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ValidEntry(input.Kind, input.LocalDate!.Value, week, title, body, input.Mood, input.Energy, tags, CountWords(body)), errors);
    }

    /// <summary>Comma-separated tags: trimmed, a leading # dropped, inner spaces collapsed, de-duplicated ignoring case (first spelling wins).</summary>
    public static List<string> ParseTags(string? text)
    {
        var tags = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return tags;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = Whitespace().Replace(raw.Trim().TrimStart('#').Trim(), " ");
            if (tag.Length > 0 && seen.Add(tag))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>Words are runs of letters or digits (apostrophes and hyphens inside a word keep it whole); Markdown punctuation is not a word.</summary>
    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    count++;
                    inWord = true;
                }
            }
            else if (!(inWord && c is '\'' or '’' or '-'))
            {
                inWord = false;
            }
        }

        return count;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>ISO 8601 weeks as "2026-W48", identified by their Monday.</summary>
public static partial class IsoWeek
{
    public static DateOnly Monday(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public static string Format(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{System.Globalization.ISOWeek.GetYear(dt):0000}-W{System.Globalization.ISOWeek.GetWeekOfYear(dt):00}");
    }

    public static bool TryParse(string? text, out DateOnly monday)
    {
        monday = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true })
        {
            return false;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var week = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year is < 1 or > 9998 || week < 1 || week > System.Globalization.ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        monday = DateOnly.FromDateTime(System.Globalization.ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }

    [GeneratedRegex(@"^(\d{4})-W(\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
