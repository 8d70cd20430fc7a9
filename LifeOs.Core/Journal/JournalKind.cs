namespace LifeOs.Core.Journal;

/// <summary>What an entry is. Stored by name; URLs and exports use <see cref="JournalKinds.Slug"/>.</summary>
public enum JournalKind
{
    MorningPages,
    DailyReflection,
    WeeklyReview,
    Note,
}

public static class JournalKinds
{
    /// <summary>Morning pages aim for three pages, about 750 words.</summary>
    public const int MorningPagesGoal = 750;

    public static IReadOnlyList<JournalKind> All { get; } = Enum.GetValues<JournalKind>();

    public static string Slug(this JournalKind kind) => kind switch
    {
        JournalKind.MorningPages => "morning-pages",
        JournalKind.DailyReflection => "reflection",
        JournalKind.WeeklyReview => "weekly-review",
        _ => "note",
    };

    public static string DisplayName(this JournalKind kind) => kind switch
    {
        JournalKind.MorningPages => "Morning pages",
        JournalKind.DailyReflection => "Daily reflection",
        JournalKind.WeeklyReview => "Weekly review",
        _ => "Note",
    };

    public static string Description(this JournalKind kind) => kind switch
    {
        JournalKind.MorningPages => "Three pages of longhand, first thing: about 750 words, whatever comes.",
        JournalKind.DailyReflection => "What went well, what you learned, what you will do tomorrow.",
        JournalKind.WeeklyReview => "Look back on the week with its numbers; set a focus for the next.",
        _ => "Anything worth keeping.",
    };

    /// <summary>Parses a URL slug or an enum name (case-insensitive); null when it is neither.</summary>
    public static JournalKind? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var kind in All)
        {
            if (string.Equals(kind.Slug(), value, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(kind.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return null;
    }

    public static string DefaultTemplate(this JournalKind kind) => kind switch
    {
        JournalKind.MorningPages => "",
        JournalKind.DailyReflection => """
            ## What went well

            ## What I learned

            ## What I will do tomorrow

            """,
        JournalKind.WeeklyReview => """
            ## Wins

            ## Challenges

            ## Lessons

            ## Focus for next week

            """,
        _ => "",
    };
}
