namespace LifeOs.Core.Journal;

/// <summary>One journal entry. <see cref="Tags"/> is the display copy; <see cref="JournalTag"/> rows are for filters and suggestions.</summary>
public class JournalEntry
{
    public long Id { get; set; }

    /// <summary>Stable id that survives export and import, so a round trip never duplicates an entry.</summary>
    public required string Uid { get; set; }

    public required string UserId { get; set; }
    public JournalKind Kind { get; set; }

    /// <summary>The user's local day the entry belongs to.</summary>
    public DateOnly LocalDate { get; set; }

    /// <summary>ISO week a weekly review looks back on, such as 2026-W48; null for other kinds.</summary>
    public string? Week { get; set; }

    public string? Title { get; set; }
    public required string Body { get; set; }
    public int? Mood { get; set; }
    public int? Energy { get; set; }

    /// <summary>Tags joined by newlines (also indexed for search).</summary>
    public string Tags { get; set; } = "";

    public int WordCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<JournalTag> TagRows { get; set; } = [];
}

public class JournalTag
{
    public long EntryId { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
}

/// <summary>A user's own prompt template for one kind; absent means the default.</summary>
public class JournalTemplate
{
    public required string UserId { get; set; }
    public JournalKind Kind { get; set; }
    public required string Body { get; set; }
}

/// <summary>Per-user journal preferences; absent means the defaults.</summary>
public class JournalPreferences
{
    public required string UserId { get; set; }

    /// <summary>One missed day in any 7 does not break a streak.</summary>
    public bool StreakGraceRule { get; set; }
}
